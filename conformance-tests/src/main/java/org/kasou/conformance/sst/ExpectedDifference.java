package org.kasou.conformance.sst;

import java.util.function.BiPredicate;

/**
 * The known, documented places where an IA-32 CPU (kasou models a P6-class one) and the 80286
 * that the tests were captured on behave differently. A failing test is excused only when it
 * matches one of these patterns, each narrowly: the instruction form and the observed outcome
 * must both fit, so that an unrelated bug in the same instruction still counts as a failure.
 */
public enum ExpectedDifference {
    FPU_ESCAPE_WITHOUT_FPU(
            "ESC (D8-DF): the capture rig's 286 had no 80287 and ran ESC as a no-op apart from the"
                    + " memory operand's segment check; kasou's P6-class CPU has an x87 unit, whose"
                    + " instructions raise #UD until the FPU is executed",
            (t, o) -> t.opcode() >= 0xD8 && t.opcode() <= 0xDF
                    && (o.sentinelVector == 6 || o.sentinelVector == 7) && t.exceptionVector != o.sentinelVector),

    LOCK_ON_NON_LOCKABLE(
            "LOCK prefix on an instruction that is not a read-modify-write of memory: the 286 ignores"
                    + " it, IA-32 raises #UD (SDM vol. 2, LOCK)",
            (t, o) -> t.hasPrefix(0xF0) && !lockableOnIa32(t) && o.sentinelVector == 6 && t.exceptionVector != 6),

    STACK_OVERRUN_VECTOR(
            "stack-segment overrun in real mode (SS:FFFF word access): the 286 raises #GP (13) for"
                    + " every segment overrun, IA-32 raises #SS (12) for a stack-segment limit violation"
                    + " (SDM vol. 2, real-address-mode exceptions of PUSH, POP, RET, LEAVE...)",
            (t, o) -> t.exceptionVector == 13 && o.sentinelVector == 12),

    STRING_FAULT_ADVANCES_INDEX(
            "a string instruction that overruns a segment (word at offset FFFF): the 286 has already"
                    + " stepped SI/DI for the faulting element (and, under REP, counted CX down once, or"
                    + " twice when the write faults) when it raises #GP; IA-32 faults are precise and"
                    + " leave them as before that element",
            (t, o) -> isString(t.opcode()) && t.exceptionVector == 13 && o.sentinelVector == SstOutcome.NO_VECTOR
                    && !o.mismatches.isEmpty() && o.mismatches.stream().allMatch(m -> oneElementAhead(t, m))),

    INSTRUCTION_LONGER_THAN_10(
            "an instruction longer than 10 bytes (prefixes included): #GP on the 286, which limits"
                    + " instructions to 10 bytes; IA-32 allows 15 (SDM vol. 2, chapter 2)",
            (t, o) -> t.bytes.length - 1 > 10 && t.exceptionVector == 13 && o.sentinelVector == SstOutcome.NO_VECTOR),

    MOV_SREG_FS_GS(
            "MOV to or from segment register 4 or 5: #UD on the 286, FS and GS on IA-32",
            (t, o) -> (t.opcode() == 0x8C || t.opcode() == 0x8E) && ((t.modrm() >> 3) & 7) >= 4
                    && ((t.modrm() >> 3) & 7) <= 5 && t.exceptionVector == 6 && o.sentinelVector == SstOutcome.NO_VECTOR),

    POP_MEMORY_FAULT_ADVANCES_SP(
            "POP to a memory operand whose write faults: the 286 has already moved SP past the popped"
                    + " word when it raises the fault, so its exception frame lies two bytes higher; IA-32"
                    + " faults are precise and leave SP as before the POP (the host CPU agrees)",
            (t, o) -> t.opcode() == 0x8F && t.exceptionVector != SstTest.NO_EXCEPTION
                    && (o.sentinelVector == t.exceptionVector || o.sentinelVector == 12 && t.exceptionVector == 13)
                    && !o.mismatches.isEmpty() && o.mismatches.stream().allMatch(m -> spTwoLowerOrItsFrame(o, m))),

    AAM_ZERO_DIVISOR_FLAGS(
            "AAM with a zero divisor: the 286 has set SF, ZF and PF when it raises #DE, so they differ in"
                    + " FLAGS and in the FLAGS image it pushed; IA-32 faults leave FLAGS as they were (the host"
                    + " CPU agrees)",
            (t, o) -> t.opcode() == 0xD4 && t.modrm() == 0 && t.exceptionVector == 0 && o.sentinelVector == 0
                    && !o.mismatches.isEmpty() && o.mismatches.stream().allMatch(m -> flagsOrTheirImage(t, m)));

    public final String reason;
    private final BiPredicate<SstTest, SstOutcome> pattern;

    ExpectedDifference(String reason, BiPredicate<SstTest, SstOutcome> pattern) {
        this.reason = reason;
        this.pattern = pattern;
    }

    public boolean matches(SstTest test, SstOutcome outcome) {
        return pattern.test(test, outcome);
    }

    /** The expected difference that explains a failed test, or null when none does. */
    public static ExpectedDifference explain(SstTest test, SstOutcome outcome) {
        if (outcome.passed()) {
            return null;
        }
        for (ExpectedDifference d : values()) {
            if (d.matches(test, outcome)) {
                return d;
            }
        }
        return null;
    }

    static boolean isString(int op) {
        return (op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF) || (op >= 0x6C && op <= 0x6F);
    }

    /**
     * Whether a mismatch is the 286 being one string element ahead: SI or DI one element further
     * in the direction DF gives, or CX one or two lower under a REP prefix.
     */
    private static boolean oneElementAhead(SstTest t, SstOutcome.Mismatch m) {
        int width = (t.opcode() & 1) != 0 ? 2 : 1;
        int step = (t.initialRegs[SstTest.FLAGS] & 0x400) != 0 ? -width : width;
        return switch (m.what()) {
            case "si", "di" -> ((m.expected() - m.actual()) & 0xFFFF) == (step & 0xFFFF) && m.actual() >>> 16 == 0;
            case "cx" -> (t.hasPrefix(0xF2) || t.hasPrefix(0xF3)) && m.actual() >>> 16 == 0
                    && (((m.actual() - m.expected()) & 0xFFFF) == 1 || ((m.actual() - m.expected()) & 0xFFFF) == 2);
            default -> false;
        };
    }

    /**
     * Whether a mismatch is SP two below the 286's, or a byte of the 8 from kasou's handler SP up,
     * which cover both exception frames (kasou's 2 bytes below the 286's).
     */
    private static boolean spTwoLowerOrItsFrame(SstOutcome o, SstOutcome.Mismatch m) {
        int sp = o.actualRegs[SstTest.SP];
        if (m.what().equals("sp")) {
            return ((m.expected() - m.actual()) & 0xFFFF) == 2;
        }
        int at = ramAddress(m);
        int offset = at - (o.actualRegs[SstTest.SS] << 4);
        return at >= 0 && offset >= 0 && ((offset - sp) & 0xFFFF) < 8;
    }

    /** Whether a mismatch is FLAGS or a byte of the FLAGS image at SS:SP+4 of the handler's stack. */
    private static boolean flagsOrTheirImage(SstTest t, SstOutcome.Mismatch m) {
        if (m.what().equals("flags")) {
            return true;
        }
        int flags = (t.expectedReg(SstTest.SS) << 4) + ((t.expectedReg(SstTest.SP) + 4) & 0xFFFF);
        int at = ramAddress(m);
        return at == flags || at == flags + 1;
    }

    /** The linear address of a {@code ram[XXXXX]} mismatch, or -1. */
    private static int ramAddress(SstOutcome.Mismatch m) {
        String w = m.what();
        return w.startsWith("ram[") && w.endsWith("]") ? Integer.parseInt(w.substring(4, w.length() - 1), 16) : -1;
    }

    /** LOCK is accepted by IA-32 only on these read-modify-write forms with a memory destination. */
    static boolean lockableOnIa32(SstTest t) {
        int op = t.opcode();
        int modrm = t.modrm();
        if (modrm < 0 || (modrm >> 6) == 3) {
            return false;
        }
        int reg = (modrm >> 3) & 7;
        return switch (op) {
            case 0x00, 0x01, 0x08, 0x09, 0x10, 0x11, 0x18, 0x19,
                 0x20, 0x21, 0x28, 0x29, 0x30, 0x31, 0x86, 0x87 -> true;
            case 0x80, 0x81, 0x82, 0x83 -> reg != 7;
            case 0xF6, 0xF7 -> reg == 2 || reg == 3;
            case 0xFE, 0xFF -> reg == 0 || reg == 1;
            default -> false;
        };
    }
}
