package org.kasou.cpu.exec;

import static org.kasou.cpu.exec.X87Transfer.BCD;
import static org.kasou.cpu.exec.X87Transfer.FLOAT32;
import static org.kasou.cpu.exec.X87Transfer.FLOAT64;
import static org.kasou.cpu.exec.X87Transfer.FLOAT80;
import static org.kasou.cpu.exec.X87Transfer.INT16;
import static org.kasou.cpu.exec.X87Transfer.INT32;
import static org.kasou.cpu.exec.X87Transfer.INT64;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.FpuState;
import org.kasou.fpu.FpuStatus;
import org.kasou.fpu.MemoryOperands;
import org.kasou.isa.DecodedInsn;

/**
 * The x87 escape opcodes D8-DF, and FXSAVE/FXRSTOR: the checks every one makes (#NM from CR0.EM and TS, #MF for an
 * exception left pending by an earlier instruction), then the operation chosen by opcode and
 * ModRM, then the last-instruction and last-operand pointers (SDM vol. 1, 8.1.8-8.1.9).
 */
public final class X87Exec {
    private X87Exec() {}

    public static int execute(Cpu cpu, DecodedInsn d) {
        if (d.map == 1) { // FXSAVE, FXRSTOR (0F AE): the same #NM checks; they do not wait
            checkAvailable(cpu, false);
            return X87FxImage.execute(cpu, d);
        }
        if (d.mod != 3) executeMemory(cpu, d, Operands.ea(cpu.state, d));
        else executeRegister(cpu, d);
        return Exec.NEXT;
    }

    /**
     * A memory form of D8-DF at effective address {@code ea} (compiled code computes it from its
     * own registers). It reads and writes no general register and no EFLAGS bit.
     */
    public static void executeMemory(Cpu cpu, DecodedInsn d, int ea) {
        switch (d.opcode & 7) {
            case 0, 2, 4, 6 -> memoryArithmetic(cpu, d, ea);
            case 1 -> memoryD9(cpu, d, ea);
            case 3 -> memoryDB(cpu, d, ea);
            case 5 -> memoryDD(cpu, d, ea);
            default -> memoryDF(cpu, d, ea);
        }
    }

    /**
     * The name of the method of this class that runs the memory form d (the escape's own, so that
     * compiled code calls a method small enough for the JVM to compile into it), taking (Cpu,
     * DecodedInsn, int ea) like {@link #executeMemory}.
     */
    public static String memoryMethod(DecodedInsn d) {
        return switch (d.opcode & 7) {
            case 0, 2, 4, 6 -> "memoryArithmetic";
            case 1 -> "memoryD9";
            case 3 -> "memoryDB";
            case 5 -> "memoryDD";
            default -> "memoryDF";
        };
    }

    /** D8, DA, DC, DE with a memory operand: the eight operations with a float32, int32, float64 or int16. */
    public static void memoryArithmetic(Cpu cpu, DecodedInsn d, int ea) {
        int group = d.opcode & 7;
        checkAvailable(cpu, true);
        FpuState f = cpu.state.fpu;
        int se;
        long sig;
        switch (group) {
            case 0 -> {
                int bits = X87Memory.read32(cpu, d, ea, 0);
                se = MemoryOperands.float32Se(bits);
                sig = MemoryOperands.float32Sig(bits);
            }
            case 4 -> {
                long bits = X87Memory.read64(cpu, d, ea, 0);
                se = MemoryOperands.float64Se(bits);
                sig = MemoryOperands.float64Sig(bits);
            }
            default -> {
                long v = group == 2 ? X87Memory.read32(cpu, d, ea, 0) : (short) X87Memory.read16(cpu, d, ea, 0);
                se = MemoryOperands.integerSe(v);
                sig = MemoryOperands.integerSig(v);
            }
        }
        X87Compute.arithmetic(f, d.reg, 0, false, se, sig, false);
        recordOperand(cpu, d, ea, group);
    }

    /** D9 with a memory operand: FLD/FST/FSTP m32real, FLDENV, FLDCW, FNSTENV, FNSTCW. */
    public static void memoryD9(Cpu cpu, DecodedInsn d, int ea) {
        int reg = d.reg;
        checkAvailable(cpu, reg < 6);
        switch (reg) {
            case 0 -> X87Transfer.load(cpu, d, ea, FLOAT32);
            case 2, 3 -> X87Transfer.store(cpu, d, ea, FLOAT32, reg == 3);
            case 4 -> X87Environment.loadEnvironment(cpu, d, ea);
            case 5 -> cpu.state.fpu.setControl(X87Memory.read16(cpu, d, ea, 0));
            case 6 -> X87Environment.storeEnvironment(cpu, d, ea);
            default -> X87Memory.write16(cpu, d, ea, 0, cpu.state.fpu.control);
        }
        if (reg < 4) recordOperand(cpu, d, ea, 1);
    }

    /** DB with a memory operand: FILD/FIST/FISTP m32int, FLD/FSTP m80real. */
    public static void memoryDB(Cpu cpu, DecodedInsn d, int ea) {
        int reg = d.reg;
        checkAvailable(cpu, true);
        switch (reg) {
            case 0 -> X87Transfer.load(cpu, d, ea, INT32);
            case 2, 3 -> X87Transfer.store(cpu, d, ea, INT32, reg == 3);
            case 5 -> X87Transfer.load(cpu, d, ea, FLOAT80);
            default -> X87Transfer.store(cpu, d, ea, FLOAT80, true);
        }
        recordOperand(cpu, d, ea, 3);
    }

    /** DD with a memory operand: FLD/FST/FSTP m64real, FRSTOR, FNSAVE, FNSTSW. */
    public static void memoryDD(Cpu cpu, DecodedInsn d, int ea) {
        int reg = d.reg;
        checkAvailable(cpu, reg < 6);
        switch (reg) {
            case 0 -> X87Transfer.load(cpu, d, ea, FLOAT64);
            case 2, 3 -> X87Transfer.store(cpu, d, ea, FLOAT64, reg == 3);
            case 4 -> X87Environment.restore(cpu, d, ea);
            case 6 -> X87Environment.save(cpu, d, ea);
            default -> X87Memory.write16(cpu, d, ea, 0, cpu.state.fpu.statusWord());
        }
        if (reg < 4) recordOperand(cpu, d, ea, 5);
    }

    /** DF with a memory operand: FILD/FIST/FISTP m16int, FBLD, FILD m64int, FBSTP, FISTP m64int. */
    public static void memoryDF(Cpu cpu, DecodedInsn d, int ea) {
        int reg = d.reg;
        checkAvailable(cpu, true);
        switch (reg) {
            case 0 -> X87Transfer.load(cpu, d, ea, INT16);
            case 2, 3 -> X87Transfer.store(cpu, d, ea, INT16, reg == 3);
            case 4 -> X87Transfer.load(cpu, d, ea, BCD);
            case 5 -> X87Transfer.load(cpu, d, ea, INT64);
            case 6 -> X87Transfer.store(cpu, d, ea, BCD, true);
            default -> X87Transfer.store(cpu, d, ea, INT64, true);
        }
        recordOperand(cpu, d, ea, 7);
    }

    /** The last-operand and last-instruction pointers of a memory form that records them. */
    private static void recordOperand(Cpu cpu, DecodedInsn d, int ea, int group) {
        CpuState s = cpu.state;
        s.fpu.fdp = ea;
        s.fpu.fds = s.seg[d.eaSeg].selector;
        recordInstruction(s, d, group);
    }

    /**
     * A register form. Only FNSTSW AX, FCMOVcc and FCOMI/FUCOMI(P) touch a general register or
     * EFLAGS ({@link #touchesIntegerState}).
     */
    public static void executeRegister(Cpu cpu, DecodedInsn d) {
        FpuState f = cpu.state.fpu;
        int group = d.opcode & 7;
        checkAvailable(cpu, waits(group, d));
        if (registerForm(cpu, d, f, group)) recordInstruction(cpu.state, d, group);
    }

    /** Whether a register form reads or writes a general register or EFLAGS. */
    public static boolean touchesIntegerState(DecodedInsn d) {
        int group = d.opcode & 7;
        if (d.mod != 3) return false;
        return switch (group) {
            case 2 -> d.modrm != 0xE9; // FCMOVB/E/BE/U; DA E9 is FUCOMPP
            case 3 -> d.reg != 4; // FCMOVNcc, FUCOMI, FCOMI
            case 7 -> d.reg != 0; // FNSTSW AX, FUCOMIP, FCOMIP
            default -> false;
        };
    }

    /** #NM from CR0.EM or TS, then for a waiting instruction an error an earlier one left pending. */
    private static void checkAvailable(Cpu cpu, boolean waits) {
        if ((cpu.state.cr0 & (CpuState.CR0_EM | CpuState.CR0_TS)) != 0) throw cpu.fault.set(CpuFault.NM, CpuFault.NO_ERROR_CODE);
        if (waits) reportPendingError(cpu);
    }

    /**
     * A waiting instruction first reports an unmasked exception an earlier one left pending: #MF
     * when CR0.NE is set. With NE clear it asserts FERR#, which a PC turns into IRQ 13
     * ({@link Cpu#fpuError}), and goes ahead: the interrupt is taken after it (the hardware's
     * freeze until the handler writes port 0xF0 is not modelled).
     */
    static void reportPendingError(Cpu cpu) {
        CpuState s = cpu.state;
        if (!s.fpu.errorPending()) return;
        if ((s.cr0 & CpuState.CR0_NE) != 0) throw cpu.fault.set(CpuFault.MF, CpuFault.NO_ERROR_CODE);
        if (cpu.fpuError != null) cpu.fpuError.run();
    }

    /**
     * Register forms wait but FNCLEX, FNINIT, FNSTSW AX, and the 8087's and 287's FNENI, FNDISI
     * and FNSETPM, which the host executes as no-operations that do not wait. (Of the memory
     * forms, FNSTENV, FNSTCW, FNSAVE and FNSTSW do not wait.)
     */
    private static boolean waits(int group, DecodedInsn d) {
        return !(group == 3 && d.modrm >= 0xE0 && d.modrm <= 0xE4) && !(group == 7 && d.modrm == 0xE0);
    }

    private static void recordInstruction(CpuState s, DecodedInsn d, int group) {
        FpuState f = s.fpu;
        f.fip = d.eip;
        f.fcs = s.seg[org.kasou.cpu.Segment.CS].selector;
        f.fop = group << 8 | d.modrm;
    }

    /** Runs a register form; returns whether it records the instruction pointer. */
    private static boolean registerForm(Cpu cpu, DecodedInsn d, FpuState f, int group) {
        int reg = d.reg, i = d.rm;
        switch (group) {
            case 0 -> X87Compute.arithmetic(f, reg, 0, f.empty(i), f.stSe(i), f.stSig(i), false);
            case 4, 6 -> { // ST(i) op= ST(0): the operand order of the sub and div pairs is the other way round
                int op = reg >= 4 ? reg ^ 1 : reg;
                if (group == 6 && d.modrm == 0xD9) X87Compute.compare(f, f.empty(1), f.stSe(1), f.stSig(1), false, 2);
                else X87Compute.arithmetic(f, op, i, f.empty(0), f.stSe(0), f.stSig(0), group == 6);
            }
            case 1 -> {
                if (reg == 0) X87Transfer.loadRegister(f, i);
                else if (reg == 1) X87Transfer.exchange(f, i);
                else if (reg == 2) { } // FNOP
                else if (d.modrm >= 0xE8 && d.modrm <= 0xEE) X87Transfer.constant(f, d.modrm - 0xE8);
                else X87Compute.function(f, d.modrm - 0xE0);
            }
            case 2 -> {
                if (d.modrm == 0xE9) X87Compute.compare(f, f.empty(1), f.stSe(1), f.stSig(1), true, 2);
                else X87Transfer.conditionalMove(f, i, Conditions.test(cpu.state, moveCondition(d)));
            }
            case 3 -> {
                if (reg < 4) {
                    X87Transfer.conditionalMove(f, i, Conditions.test(cpu.state, moveCondition(d)));
                } else if (reg == 4) {
                    if (d.modrm == 0xE2) f.status &= ~(FpuStatus.EXCEPTIONS | FpuStatus.SF);
                    else if (d.modrm == 0xE3) f.init();
                    return false; // FNENI, FNDISI, FNSETPM do nothing at all
                } else {
                    X87Compute.compareToEflags(cpu.state, i, reg == 5, false);
                }
            }
            case 5 -> {
                switch (reg) {
                    case 0 -> {
                        f.free(i);
                        X87Stack.clearC1(f);
                    }
                    case 2, 3 -> X87Transfer.storeRegister(f, i, reg == 3);
                    default -> X87Compute.compare(f, f.empty(i), f.stSe(i), f.stSig(i), true, reg - 4);
                }
            }
            default -> {
                switch (reg) {
                    case 0 -> { // FFREEP
                        f.free(i);
                        f.pop();
                        X87Stack.clearC1(f);
                    }
                    case 4 -> {
                        Operands.writeReg(cpu.state, CpuState.EAX, 2, f.statusWord());
                        return false;
                    }
                    default -> X87Compute.compareToEflags(cpu.state, i, reg == 5, true);
                }
            }
        }
        return true;
    }

    /** Jcc condition numbers of FCMOVB, FCMOVE, FCMOVBE, FCMOVU; the DB forms are their negations. */
    private static final int[] FCMOV_CONDITIONS = {2, 4, 6, 10};

    /** The Jcc condition under which FCMOVcc d (DA /0-/3, DB /0-/3, register forms) moves. */
    public static int moveCondition(DecodedInsn d) {
        return FCMOV_CONDITIONS[d.reg] + ((d.opcode & 7) == 3 ? 1 : 0);
    }
}
