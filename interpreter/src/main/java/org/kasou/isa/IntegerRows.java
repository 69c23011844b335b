package org.kasou.isa;

import static org.kasou.isa.InsnForm.BRANCH;
import static org.kasou.isa.InsnForm.COND;
import static org.kasou.isa.InsnForm.END;
import static org.kasou.isa.InsnForm.IOPL;
import static org.kasou.isa.InsnForm.LOCK;
import static org.kasou.isa.InsnForm.MNEM_BY_ADDR;
import static org.kasou.isa.InsnForm.PM_ONLY;
import static org.kasou.isa.InsnForm.PRIV;
import static org.kasou.isa.InsnForm.REP;
import static org.kasou.isa.InsnForm.REPCC;
import static org.kasou.isa.InsnForm.SHADOW;

/**
 * The integer instructions of a P6-class CPU (8086 through 486, plus CMOVcc, CMPXCHG8B, CPUID,
 * RDTSC, RDMSR/WRMSR, SYSENTER/SYSEXIT, UD2, the 0F 1F NOP and PAUSE), including the undocumented
 * but real aliases (82 = 80, F6/F7 /1 = TEST, C0-D3 /6 = SHL, D6 SALC, F1 INT1). Row format: see
 * {@link TableBuilder}. Flag effects follow the SDM vol. 1, Appendix A (EFLAGS cross-reference).
 */
final class IntegerRows {
    private IntegerRows() {}

    static final String ARITH = "w:OSZAPC";
    static final String LOGIC = "w:OSZPC u:A";
    static final String INCDEC = "w:OSZAP";
    static final String SHIFT = "w:OSZAPC u:AO";
    static final String MULF = "w:OSZAPC u:SZAP";
    static final String DIVF = "u:OSZAPC";
    static final String BITF = "w:C u:OSAP";
    static final String NONE = "";

    static void addTo(TableBuilder b) {
        oneByte(b);
        twoByte(b);
    }

    private static String hex(int v) {
        return String.format("%02X", v);
    }

    private static void oneByte(TableBuilder b) {
        String[] alu = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
        Op[] aluOp = {Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR, Op.CMP};
        for (int i = 0; i < 8; i++) {
            String f = i == 1 || i == 4 || i == 6 ? LOGIC : i == 2 || i == 3 ? "r:C " + ARITH : ARITH;
            int lock = i == 7 ? 0 : LOCK;
            String m = alu[i];
            int base = i * 8;
            b.row(hex(base), m + " Eb,Gb", aluOp[i], f, lock);
            b.row(hex(base + 1), m + " Ev,Gv", aluOp[i], f, lock);
            b.row(hex(base + 2), m + " Gb,Eb", aluOp[i], f, 0);
            b.row(hex(base + 3), m + " Gv,Ev", aluOp[i], f, 0);
            b.row(hex(base + 4), m + " AL,Ib", aluOp[i], f, 0);
            b.row(hex(base + 5), m + " eAX,Iz", aluOp[i], f, 0);
            b.row("80 /" + i, m + " Eb,Ib", aluOp[i], f, lock);
            b.row("81 /" + i, m + " Ev,Iz", aluOp[i], f, lock);
            b.row("82 /" + i, m + " Eb,Ib", aluOp[i], f, lock); // undocumented alias of 80
            b.row("83 /" + i, m + " Ev,Ibs", aluOp[i], f, lock);
        }
        String[] segs = {"ES", "CS", "SS", "DS"};
        for (int s = 0; s < 4; s++) {
            b.row(hex(0x06 + s * 8), "push " + segs[s], Op.PUSH_SREG, NONE, 0);
            if (s != 1) { // 0F is the escape (POP CS only on the 8086)
                b.row(hex(0x07 + s * 8), "pop " + segs[s], Op.POP_SREG, NONE, s == 2 ? END | SHADOW : 0);
            }
        }
        b.row("27", "daa", Op.DAA, "r:AC w:SZAPC u:O", 0);
        b.row("2F", "das", Op.DAS, "r:AC w:SZAPC u:O", 0);
        b.row("37", "aaa", Op.AAA, "r:A w:AC u:OSZP", 0);
        b.row("3F", "aas", Op.AAS, "r:A w:AC u:OSZP", 0);
        b.row("40+r", "inc Zv", Op.INC, INCDEC, 0);
        b.row("48+r", "dec Zv", Op.DEC, INCDEC, 0);
        b.row("50+r", "push Zv", Op.PUSH, NONE, 0);
        b.row("58+r", "pop Zv", Op.POP, NONE, 0);
        b.row("60", "pusha|pushad", Op.PUSHA, NONE, 0);
        b.row("61", "popa|popad", Op.POPA, NONE, 0);
        b.row("62", "bound Gv,Ma", Op.BOUND, NONE, 0);
        b.row("63", "arpl Ew,Gw", Op.ARPL, "w:Z", PM_ONLY);
        b.row("68", "push Iz", Op.PUSH, NONE, 0);
        b.row("69", "imul Gv,Ev,Iz", Op.IMUL, MULF, 0);
        b.row("6A", "push Ibs", Op.PUSH, NONE, 0);
        b.row("6B", "imul Gv,Ev,Ibs", Op.IMUL, MULF, 0);
        b.row("6C", "ins Yb,DX", Op.INS, "r:D", REP | IOPL);
        b.row("6D", "ins Yv,DX", Op.INS, "r:D", REP | IOPL);
        b.row("6E", "outs DX,Xb", Op.OUTS, "r:D", REP | IOPL | END);
        b.row("6F", "outs DX,Xv", Op.OUTS, "r:D", REP | IOPL | END);
        for (int cc = 0; cc < 16; cc++) {
            b.row(hex(0x70 + cc), "j" + TableBuilder.CC[cc] + " Jb", Op.JCC, TableBuilder.condFlags(cc), BRANCH | COND | END);
        }
        b.row("84", "test Eb,Gb", Op.TEST, LOGIC, 0);
        b.row("85", "test Ev,Gv", Op.TEST, LOGIC, 0);
        b.row("86", "xchg Eb,Gb", Op.XCHG, NONE, LOCK);
        b.row("87", "xchg Ev,Gv", Op.XCHG, NONE, LOCK);
        b.row("88", "mov Eb,Gb", Op.MOV, NONE, 0);
        b.row("89", "mov Ev,Gv", Op.MOV, NONE, 0);
        b.row("8A", "mov Gb,Eb", Op.MOV, NONE, 0);
        b.row("8B", "mov Gv,Ev", Op.MOV, NONE, 0);
        b.row("8C", "mov MwRv,Sw", Op.MOV_FROM_SREG, NONE, 0);
        b.row("8D", "lea Gv,M", Op.LEA, NONE, 0);
        b.row("8E", "mov Sw,MwRv", Op.MOV_TO_SREG, NONE, END | SHADOW);
        b.row("8F /0", "pop Ev", Op.POP, NONE, 0);
        b.row("90", "nop", Op.NOP, NONE, 0);
        b.row("F3 90", "pause", Op.PAUSE, NONE, 0);
        for (int r = 1; r < 8; r++) {
            b.row(hex(0x90 + r), "xchg Zv,eAX", Op.XCHG, NONE, 0);
        }
        b.row("98", "cbw|cwde", Op.CBW, NONE, 0);
        b.row("99", "cwd|cdq", Op.CWD, NONE, 0);
        b.row("9A", "call Ap", Op.CALL_FAR, NONE, BRANCH | END);
        b.row("9B", "fwait", Op.WAIT, NONE, 0);
        b.row("9C", "pushf|pushfd", Op.PUSHF, "r:*", 0);
        b.row("9D", "popf|popfd", Op.POPF, "w:*", END);
        b.row("9E", "sahf", Op.SAHF, "w:SZAPC", 0);
        b.row("9F", "lahf", Op.LAHF, "r:SZAPC", 0);
        b.row("A0", "mov AL,Ob", Op.MOV, NONE, 0);
        b.row("A1", "mov eAX,Ov", Op.MOV, NONE, 0);
        b.row("A2", "mov Ob,AL", Op.MOV, NONE, 0);
        b.row("A3", "mov Ov,eAX", Op.MOV, NONE, 0);
        b.row("A4", "movs Yb,Xb", Op.MOVS, "r:D", REP);
        b.row("A5", "movs Yv,Xv", Op.MOVS, "r:D", REP);
        b.row("A6", "cmps Xb,Yb", Op.CMPS, "r:D " + ARITH, REPCC);
        b.row("A7", "cmps Xv,Yv", Op.CMPS, "r:D " + ARITH, REPCC);
        b.row("A8", "test AL,Ib", Op.TEST, LOGIC, 0);
        b.row("A9", "test eAX,Iz", Op.TEST, LOGIC, 0);
        b.row("AA", "stos Yb,AL", Op.STOS, "r:D", REP);
        b.row("AB", "stos Yv,eAX", Op.STOS, "r:D", REP);
        b.row("AC", "lods AL,Xb", Op.LODS, "r:D", REP);
        b.row("AD", "lods eAX,Xv", Op.LODS, "r:D", REP);
        b.row("AE", "scas AL,Yb", Op.SCAS, "r:D " + ARITH, REPCC);
        b.row("AF", "scas eAX,Yv", Op.SCAS, "r:D " + ARITH, REPCC);
        b.row("B0+r", "mov Zb,Ib", Op.MOV, NONE, 0);
        b.row("B8+r", "mov Zv,Iz", Op.MOV, NONE, 0);
        String[] sh = {"rol", "ror", "rcl", "rcr", "shl", "shr", "shl", "sar"};
        Op[] shOp = {Op.ROL, Op.ROR, Op.RCL, Op.RCR, Op.SHL, Op.SHR, Op.SHL, Op.SAR};
        String[][] shForms = {{"C0", "Eb,Ib"}, {"C1", "Ev,Ib"}, {"D0", "Eb,ONE"}, {"D1", "Ev,ONE"}, {"D2", "Eb,CL"}, {"D3", "Ev,CL"}};
        for (String[] form : shForms) {
            for (int r = 0; r < 8; r++) {
                String f = r < 2 ? "w:OC u:O" : r < 4 ? "r:C w:OC u:O" : SHIFT;
                b.row(form[0] + " /" + r, sh[r] + " " + form[1], shOp[r], f, 0);
            }
        }
        b.row("C2", "ret Iw", Op.RET, NONE, BRANCH | END);
        b.row("C3", "ret", Op.RET, NONE, BRANCH | END);
        b.row("C4", "les Gv,Mp", Op.LES, NONE, 0);
        b.row("C5", "lds Gv,Mp", Op.LDS, NONE, 0);
        b.row("C6 /0", "mov Eb,Ib", Op.MOV, NONE, 0);
        b.row("C7 /0", "mov Ev,Iz", Op.MOV, NONE, 0);
        b.row("C8", "enter Iw,Ib", Op.ENTER, NONE, 0);
        b.row("C9", "leave", Op.LEAVE, NONE, 0);
        b.row("CA", "retf Iw", Op.RET_FAR, NONE, BRANCH | END);
        b.row("CB", "retf", Op.RET_FAR, NONE, BRANCH | END);
        b.row("CC", "int3", Op.INT3, "w:IT", BRANCH | END);
        b.row("CD", "int Ib", Op.INT, "w:IT", BRANCH | END);
        b.row("CE", "into", Op.INTO, "r:O w:IT", BRANCH | END);
        b.row("CF", "iret|iretd", Op.IRET, "w:*", BRANCH | END);
        b.row("D4", "aam Ib", Op.AAM, "w:SZP u:OAC", 0);
        b.row("D5", "aad Ib", Op.AAD, "w:SZP u:OAC", 0);
        b.row("D6", "salc", Op.SALC, "r:C", 0);
        b.row("D7", "xlat", Op.XLAT, NONE, 0);
        b.row("E0", "loopne Jb", Op.LOOPNE, "r:Z", BRANCH | COND | END);
        b.row("E1", "loope Jb", Op.LOOPE, "r:Z", BRANCH | COND | END);
        b.row("E2", "loop Jb", Op.LOOP, NONE, BRANCH | COND | END);
        b.row("E3", "jcxz|jecxz Jb", Op.JCXZ, NONE, BRANCH | COND | END | MNEM_BY_ADDR);
        b.row("E4", "in AL,Ib", Op.IN, NONE, IOPL);
        b.row("E5", "in eAX,Ib", Op.IN, NONE, IOPL);
        b.row("E6", "out Ib,AL", Op.OUT, NONE, IOPL | END);
        b.row("E7", "out Ib,eAX", Op.OUT, NONE, IOPL | END);
        b.row("E8", "call Jz", Op.CALL, NONE, BRANCH | END);
        b.row("E9", "jmp Jz", Op.JMP, NONE, BRANCH | END);
        b.row("EA", "jmp Ap", Op.JMP_FAR, NONE, BRANCH | END);
        b.row("EB", "jmp Jb", Op.JMP, NONE, BRANCH | END);
        b.row("EC", "in AL,DX", Op.IN, NONE, IOPL);
        b.row("ED", "in eAX,DX", Op.IN, NONE, IOPL);
        b.row("EE", "out DX,AL", Op.OUT, NONE, IOPL | END);
        b.row("EF", "out DX,eAX", Op.OUT, NONE, IOPL | END);
        b.row("F1", "int1", Op.INT1, "w:IT", BRANCH | END);
        b.row("F4", "hlt", Op.HLT, NONE, PRIV | END);
        b.row("F5", "cmc", Op.CMC, "r:C w:C", 0);
        String[] g3 = {"test", "test", "not", "neg", "mul", "imul", "div", "idiv"};
        Op[] g3Op = {Op.TEST, Op.TEST, Op.NOT, Op.NEG, Op.MUL, Op.IMUL1, Op.DIV, Op.IDIV};
        String[] g3f = {LOGIC, LOGIC, NONE, ARITH, MULF, MULF, DIVF, DIVF};
        for (int r = 0; r < 8; r++) {
            int lock = r == 2 || r == 3 ? LOCK : 0;
            b.row("F6 /" + r, g3[r] + (r < 2 ? " Eb,Ib" : " Eb"), g3Op[r], g3f[r], lock);
            b.row("F7 /" + r, g3[r] + (r < 2 ? " Ev,Iz" : " Ev"), g3Op[r], g3f[r], lock);
        }
        b.row("F8", "clc", Op.CLC, "w:C", 0);
        b.row("F9", "stc", Op.STC, "w:C", 0);
        b.row("FA", "cli", Op.CLI, "w:I", IOPL);
        b.row("FB", "sti", Op.STI, "w:I", IOPL | END | SHADOW);
        b.row("FC", "cld", Op.CLD, "w:D", 0);
        b.row("FD", "std", Op.STD, "w:D", 0);
        b.row("FE /0", "inc Eb", Op.INC, INCDEC, LOCK);
        b.row("FE /1", "dec Eb", Op.DEC, INCDEC, LOCK);
        b.row("FF /0", "inc Ev", Op.INC, INCDEC, LOCK);
        b.row("FF /1", "dec Ev", Op.DEC, INCDEC, LOCK);
        b.row("FF /2", "call Ev", Op.CALL_IND, NONE, BRANCH | END);
        b.row("FF /3 mem", "call Mp", Op.CALL_FAR_IND, NONE, BRANCH | END);
        b.row("FF /4", "jmp Ev", Op.JMP_IND, NONE, BRANCH | END);
        b.row("FF /5 mem", "jmp Mp", Op.JMP_FAR_IND, NONE, BRANCH | END);
        b.row("FF /6", "push Ev", Op.PUSH, NONE, 0);
    }

    private static void twoByte(TableBuilder b) {
        b.row("0F 00 /0", "sldt MwRv", Op.SLDT, NONE, PM_ONLY);
        b.row("0F 00 /1", "str MwRv", Op.STR, NONE, PM_ONLY);
        b.row("0F 00 /2", "lldt Ew", Op.LLDT, NONE, PM_ONLY | PRIV);
        b.row("0F 00 /3", "ltr Ew", Op.LTR, NONE, PM_ONLY | PRIV);
        b.row("0F 00 /4", "verr Ew", Op.VERR, "w:Z", PM_ONLY);
        b.row("0F 00 /5", "verw Ew", Op.VERW, "w:Z", PM_ONLY);
        b.row("0F 01 /0 mem", "sgdt Ms", Op.SGDT, NONE, 0);
        b.row("0F 01 /1 mem", "sidt Ms", Op.SIDT, NONE, 0);
        b.row("0F 01 /2 mem", "lgdt Ms", Op.LGDT, NONE, PRIV);
        b.row("0F 01 /3 mem", "lidt Ms", Op.LIDT, NONE, PRIV);
        b.row("0F 01 /4", "smsw MwRv", Op.SMSW, NONE, 0);
        b.row("0F 01 /6", "lmsw Ew", Op.LMSW, NONE, PRIV | END);
        b.row("0F 01 /7 mem", "invlpg Mb", Op.INVLPG, NONE, PRIV | END);
        b.row("0F 02", "lar Gv,MwRv", Op.LAR, "w:Z", PM_ONLY);
        b.row("0F 03", "lsl Gv,MwRv", Op.LSL, "w:Z", PM_ONLY);
        b.row("0F 06", "clts", Op.CLTS, NONE, PRIV);
        b.row("0F 08", "invd", Op.INVD, NONE, PRIV);
        b.row("0F 09", "wbinvd", Op.WBINVD, NONE, PRIV);
        b.row("0F 0B", "ud2", Op.UD2, NONE, 0);
        for (int o = 0x19; o <= 0x1F; o++) {
            b.row("0F " + hex(o) + " /r", "nop Ev", Op.NOP, NONE, 0); // hint NOPs (0F 1F /0 is the documented one)
        }
        b.row("0F 20", "mov Rd,Cd", Op.MOV_FROM_CR, NONE, PRIV);
        b.row("0F 21", "mov Rd,Dd", Op.MOV_FROM_DR, NONE, PRIV);
        b.row("0F 22", "mov Cd,Rd", Op.MOV_TO_CR, NONE, PRIV | END);
        b.row("0F 23", "mov Dd,Rd", Op.MOV_TO_DR, NONE, PRIV | END);
        b.row("0F 30", "wrmsr", Op.WRMSR, NONE, PRIV | END);
        b.row("0F 31", "rdtsc", Op.RDTSC, NONE, 0);
        b.row("0F 32", "rdmsr", Op.RDMSR, NONE, PRIV);
        b.row("0F 33", "rdpmc", Op.RDPMC, NONE, 0);
        b.row("0F 34", "sysenter", Op.SYSENTER, "w:I", BRANCH | END);
        b.row("0F 35", "sysexit", Op.SYSEXIT, NONE, PRIV | BRANCH | END);
        for (int cc = 0; cc < 16; cc++) {
            String c = TableBuilder.CC[cc];
            b.row("0F " + hex(0x40 + cc), "cmov" + c + " Gv,Ev", Op.CMOV, TableBuilder.condFlags(cc), 0);
            b.row("0F " + hex(0x80 + cc), "j" + c + " Jz", Op.JCC, TableBuilder.condFlags(cc), BRANCH | COND | END);
            b.row("0F " + hex(0x90 + cc), "set" + c + " Eb", Op.SETCC, TableBuilder.condFlags(cc), 0);
        }
        b.row("0F A0", "push FS", Op.PUSH_SREG, NONE, 0);
        b.row("0F A1", "pop FS", Op.POP_SREG, NONE, 0);
        b.row("0F A2", "cpuid", Op.CPUID, NONE, 0);
        b.row("0F A3", "bt Ev,Gv", Op.BT, BITF, 0);
        b.row("0F A4", "shld Ev,Gv,Ib", Op.SHLD, SHIFT, 0);
        b.row("0F A5", "shld Ev,Gv,CL", Op.SHLD, SHIFT, 0);
        b.row("0F A8", "push GS", Op.PUSH_SREG, NONE, 0);
        b.row("0F A9", "pop GS", Op.POP_SREG, NONE, 0);
        b.row("0F AA", "rsm", Op.RSM, "w:*", BRANCH | END);
        b.row("0F AB", "bts Ev,Gv", Op.BTS, BITF, LOCK);
        b.row("0F AC", "shrd Ev,Gv,Ib", Op.SHRD, SHIFT, 0);
        b.row("0F AD", "shrd Ev,Gv,CL", Op.SHRD, SHIFT, 0);
        b.row("0F AF", "imul Gv,Ev", Op.IMUL, MULF, 0);
        b.row("0F B0", "cmpxchg Eb,Gb", Op.CMPXCHG, ARITH, LOCK);
        b.row("0F B1", "cmpxchg Ev,Gv", Op.CMPXCHG, ARITH, LOCK);
        b.row("0F B2", "lss Gv,Mp", Op.LSS, NONE, 0);
        b.row("0F B3", "btr Ev,Gv", Op.BTR, BITF, LOCK);
        b.row("0F B4", "lfs Gv,Mp", Op.LFS, NONE, 0);
        b.row("0F B5", "lgs Gv,Mp", Op.LGS, NONE, 0);
        b.row("0F B6", "movzx Gv,Eb", Op.MOVZX, NONE, 0);
        b.row("0F B7", "movzx Gv,Ew", Op.MOVZX, NONE, 0);
        b.row("0F B9", "ud1 Gv,Ev", Op.UD2, NONE, 0);
        b.row("0F BA /4", "bt Ev,Ib", Op.BT, BITF, 0);
        b.row("0F BA /5", "bts Ev,Ib", Op.BTS, BITF, LOCK);
        b.row("0F BA /6", "btr Ev,Ib", Op.BTR, BITF, LOCK);
        b.row("0F BA /7", "btc Ev,Ib", Op.BTC, BITF, LOCK);
        b.row("0F BB", "btc Ev,Gv", Op.BTC, BITF, LOCK);
        b.row("0F BC", "bsf Gv,Ev", Op.BSF, "w:Z u:OSAPC", 0);
        b.row("0F BD", "bsr Gv,Ev", Op.BSR, "w:Z u:OSAPC", 0);
        b.row("0F BE", "movsx Gv,Eb", Op.MOVSX, NONE, 0);
        b.row("0F BF", "movsx Gv,Ew", Op.MOVSX, NONE, 0);
        b.row("0F C0", "xadd Eb,Gb", Op.XADD, ARITH, LOCK);
        b.row("0F C1", "xadd Ev,Gv", Op.XADD, ARITH, LOCK);
        b.row("0F C7 /1 mem", "cmpxchg8b Mq", Op.CMPXCHG8B, "w:Z", LOCK);
        b.row("0F C8+r", "bswap Zd", Op.BSWAP, NONE, 0);
    }
}
