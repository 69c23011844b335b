package org.kasou.embed;

/**
 * The architectural registers an {@link Engine} reads and writes. The 8- and 16-bit general
 * registers are views of the 32-bit ones. A segment register reads and writes its selector (see
 * {@link Engine#segment} for its descriptor cache).
 */
public enum Register {
    EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI,
    AX, CX, DX, BX, SP, BP, SI, DI,
    AL, CL, DL, BL, AH, CH, DH, BH,
    EIP, IP, EFLAGS,
    ES, CS, SS, DS, FS, GS, LDTR, TR,
    GDTR_BASE, GDTR_LIMIT, IDTR_BASE, IDTR_LIMIT,
    CR0, CR2, CR3, CR4,
    DR0, DR1, DR2, DR3, DR4, DR5, DR6, DR7,
    /** The x87 control word. */
    FPCW,
    /** The x87 status word, with TOP in bits 11-13 (writing it moves the stack top). */
    FPSW,
    /** The x87 tag word, two bits per physical register as FSTENV stores it (11: empty). */
    FPTW,
    /** The x87 last instruction pointer (offset and selector), data pointer and opcode. */
    FIP, FCS, FDP, FDS, FOP;

    /** Whether this is one of the x87 control registers (FPCW to FOP). */
    public boolean isX87() {
        return ordinal() >= FPCW.ordinal();
    }

    /** Whether this is ES, CS, SS, DS, FS, GS, LDTR or TR. */
    public boolean isSegment() {
        return ordinal() >= ES.ordinal() && ordinal() <= TR.ordinal();
    }

    /** Segment number in encoding order (ES = 0 ... GS = 5, LDTR = 6, TR = 7). */
    int segmentIndex() {
        return ordinal() - ES.ordinal();
    }
}
