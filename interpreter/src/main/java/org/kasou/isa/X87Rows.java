package org.kasou.isa;

/**
 * Rows of the x87 escape opcodes D8-DF, from the SDM vol. 2 Appendix A.4 opcode maps: the memory forms select the operation
 * with ModRM.reg, the register forms (mod == 3) with reg and sometimes rm. The 8087/287-only
 * FENI, FDISI and FSETPM encodings keep objdump's names ("_" stands for the space it prints);
 * FRSTPM (DB E5) likewise. Decode-only rows (#UD when executed): FISTTP (SSE3, not on a P6)
 * and FRSTPM.
 */
final class X87Rows {
    private static final int D = InsnForm.DECODE_ONLY;

    private X87Rows() {}

    static void addTo(TableBuilder b) {
        // reserved memory forms: #UD; objdump shows them as "(bad)" with their memory operand
        b.row("D9 /1 mem", "(bad) M", Op.UD, "", 0);
        b.row("DB /4 mem", "(bad) M", Op.UD, "", 0);
        b.row("DB /6 mem", "(bad) M", Op.UD, "", 0);
        b.row("DD /5 mem", "(bad) M", Op.UD, "", 0);
        b.row("D8 /0 mem", "fadd Md", Op.X87, "", 0);
        b.row("D8 /1 mem", "fmul Md", Op.X87, "", 0);
        b.row("D8 /2 mem", "fcom Md", Op.X87, "", 0);
        b.row("D8 /3 mem", "fcomp Md", Op.X87, "", 0);
        b.row("D8 /4 mem", "fsub Md", Op.X87, "", 0);
        b.row("D8 /5 mem", "fsubr Md", Op.X87, "", 0);
        b.row("D8 /6 mem", "fdiv Md", Op.X87, "", 0);
        b.row("D8 /7 mem", "fdivr Md", Op.X87, "", 0);
        b.row("D9 /0 mem", "fld Md", Op.X87, "", 0);
        b.row("D9 /2 mem", "fst Md", Op.X87, "", 0);
        b.row("D9 /3 mem", "fstp Md", Op.X87, "", 0);
        b.row("D9 /4 mem", "fldenv M", Op.X87, "", 0);
        b.row("D9 /5 mem", "fldcw Mw", Op.X87, "", 0);
        b.row("D9 /6 mem", "fnstenv M", Op.X87, "", 0);
        b.row("D9 /7 mem", "fnstcw Mw", Op.X87, "", 0);
        b.row("DA /0 mem", "fiadd Md", Op.X87, "", 0);
        b.row("DA /1 mem", "fimul Md", Op.X87, "", 0);
        b.row("DA /2 mem", "ficom Md", Op.X87, "", 0);
        b.row("DA /3 mem", "ficomp Md", Op.X87, "", 0);
        b.row("DA /4 mem", "fisub Md", Op.X87, "", 0);
        b.row("DA /5 mem", "fisubr Md", Op.X87, "", 0);
        b.row("DA /6 mem", "fidiv Md", Op.X87, "", 0);
        b.row("DA /7 mem", "fidivr Md", Op.X87, "", 0);
        b.row("DB /0 mem", "fild Md", Op.X87, "", 0);
        b.row("DB /1 mem", "fisttp Md", Op.X87, "", D);
        b.row("DB /2 mem", "fist Md", Op.X87, "", 0);
        b.row("DB /3 mem", "fistp Md", Op.X87, "", 0);
        b.row("DB /5 mem", "fld Mt", Op.X87, "", 0);
        b.row("DB /7 mem", "fstp Mt", Op.X87, "", 0);
        b.row("DC /0 mem", "fadd Mq", Op.X87, "", 0);
        b.row("DC /1 mem", "fmul Mq", Op.X87, "", 0);
        b.row("DC /2 mem", "fcom Mq", Op.X87, "", 0);
        b.row("DC /3 mem", "fcomp Mq", Op.X87, "", 0);
        b.row("DC /4 mem", "fsub Mq", Op.X87, "", 0);
        b.row("DC /5 mem", "fsubr Mq", Op.X87, "", 0);
        b.row("DC /6 mem", "fdiv Mq", Op.X87, "", 0);
        b.row("DC /7 mem", "fdivr Mq", Op.X87, "", 0);
        b.row("DD /0 mem", "fld Mq", Op.X87, "", 0);
        b.row("DD /1 mem", "fisttp Mq", Op.X87, "", D);
        b.row("DD /2 mem", "fst Mq", Op.X87, "", 0);
        b.row("DD /3 mem", "fstp Mq", Op.X87, "", 0);
        b.row("DD /4 mem", "frstor M", Op.X87, "", 0);
        b.row("DD /6 mem", "fnsave M", Op.X87, "", 0);
        b.row("DD /7 mem", "fnstsw Mw", Op.X87, "", 0);
        b.row("DE /0 mem", "fiadd Mw", Op.X87, "", 0);
        b.row("DE /1 mem", "fimul Mw", Op.X87, "", 0);
        b.row("DE /2 mem", "ficom Mw", Op.X87, "", 0);
        b.row("DE /3 mem", "ficomp Mw", Op.X87, "", 0);
        b.row("DE /4 mem", "fisub Mw", Op.X87, "", 0);
        b.row("DE /5 mem", "fisubr Mw", Op.X87, "", 0);
        b.row("DE /6 mem", "fidiv Mw", Op.X87, "", 0);
        b.row("DE /7 mem", "fidivr Mw", Op.X87, "", 0);
        b.row("DF /0 mem", "fild Mw", Op.X87, "", 0);
        b.row("DF /1 mem", "fisttp Mw", Op.X87, "", D);
        b.row("DF /2 mem", "fist Mw", Op.X87, "", 0);
        b.row("DF /3 mem", "fistp Mw", Op.X87, "", 0);
        b.row("DF /4 mem", "fbld Mt", Op.X87, "", 0);
        b.row("DF /5 mem", "fild Mq", Op.X87, "", 0);
        b.row("DF /6 mem", "fbstp Mt", Op.X87, "", 0);
        b.row("DF /7 mem", "fistp Mq", Op.X87, "", 0);
        b.row("D8 /0 reg", "fadd ST0,STi", Op.X87, "", 0);
        b.row("D8 /1 reg", "fmul ST0,STi", Op.X87, "", 0);
        b.row("D8 /2 reg", "fcom STi", Op.X87, "", 0);
        b.row("D8 /3 reg", "fcomp STi", Op.X87, "", 0);
        b.row("D8 /4 reg", "fsub ST0,STi", Op.X87, "", 0);
        b.row("D8 /5 reg", "fsubr ST0,STi", Op.X87, "", 0);
        b.row("D8 /6 reg", "fdiv ST0,STi", Op.X87, "", 0);
        b.row("D8 /7 reg", "fdivr ST0,STi", Op.X87, "", 0);
        b.row("D9 /0 reg", "fld STi", Op.X87, "", 0);
        b.row("D9 /1 reg", "fxch STi", Op.X87, "", 0);
        b.row("D9 D0", "fnop", Op.X87, "", 0);
        b.row("D9 E0", "fchs", Op.X87, "", 0);
        b.row("D9 E1", "fabs", Op.X87, "", 0);
        b.row("D9 E4", "ftst", Op.X87, "", 0);
        b.row("D9 E5", "fxam", Op.X87, "", 0);
        b.row("D9 E8", "fld1", Op.X87, "", 0);
        b.row("D9 E9", "fldl2t", Op.X87, "", 0);
        b.row("D9 EA", "fldl2e", Op.X87, "", 0);
        b.row("D9 EB", "fldpi", Op.X87, "", 0);
        b.row("D9 EC", "fldlg2", Op.X87, "", 0);
        b.row("D9 ED", "fldln2", Op.X87, "", 0);
        b.row("D9 EE", "fldz", Op.X87, "", 0);
        b.row("D9 F0", "f2xm1", Op.X87, "", 0);
        b.row("D9 F1", "fyl2x", Op.X87, "", 0);
        b.row("D9 F2", "fptan", Op.X87, "", 0);
        b.row("D9 F3", "fpatan", Op.X87, "", 0);
        b.row("D9 F4", "fxtract", Op.X87, "", 0);
        b.row("D9 F5", "fprem1", Op.X87, "", 0);
        b.row("D9 F6", "fdecstp", Op.X87, "", 0);
        b.row("D9 F7", "fincstp", Op.X87, "", 0);
        b.row("D9 F8", "fprem", Op.X87, "", 0);
        b.row("D9 F9", "fyl2xp1", Op.X87, "", 0);
        b.row("D9 FA", "fsqrt", Op.X87, "", 0);
        b.row("D9 FB", "fsincos", Op.X87, "", 0);
        b.row("D9 FC", "frndint", Op.X87, "", 0);
        b.row("D9 FD", "fscale", Op.X87, "", 0);
        b.row("D9 FE", "fsin", Op.X87, "", 0);
        b.row("D9 FF", "fcos", Op.X87, "", 0);
        b.row("DA /0 reg", "fcmovb ST0,STi", Op.X87, "r:C", 0);
        b.row("DA /1 reg", "fcmove ST0,STi", Op.X87, "r:Z", 0);
        b.row("DA /2 reg", "fcmovbe ST0,STi", Op.X87, "r:CZ", 0);
        b.row("DA /3 reg", "fcmovu ST0,STi", Op.X87, "r:P", 0);
        b.row("DA E9", "fucompp", Op.X87, "", 0);
        b.row("DB /0 reg", "fcmovnb ST0,STi", Op.X87, "r:C", 0);
        b.row("DB /1 reg", "fcmovne ST0,STi", Op.X87, "r:Z", 0);
        b.row("DB /2 reg", "fcmovnbe ST0,STi", Op.X87, "r:CZ", 0);
        b.row("DB /3 reg", "fcmovnu ST0,STi", Op.X87, "r:P", 0);
        b.row("DB E0", "fneni(8087_only)", Op.X87, "", 0);
        b.row("DB E1", "fndisi(8087_only)", Op.X87, "", 0);
        b.row("DB E2", "fnclex", Op.X87, "", 0);
        b.row("DB E3", "fninit", Op.X87, "", 0);
        b.row("DB E4", "fnsetpm(287_only)", Op.X87, "", 0);
        b.row("DB E5", "frstpm(287_only)", Op.X87, "", D);
        b.row("DB /5 reg", "fucomi ST0,STi", Op.X87, "w:OSZAPC", 0);
        b.row("DB /6 reg", "fcomi ST0,STi", Op.X87, "w:OSZAPC", 0);
        b.row("DC /0 reg", "fadd STi,ST0", Op.X87, "", 0);
        b.row("DC /1 reg", "fmul STi,ST0", Op.X87, "", 0);
        b.row("DC /4 reg", "fsubr STi,ST0", Op.X87, "", 0);
        b.row("DC /5 reg", "fsub STi,ST0", Op.X87, "", 0);
        b.row("DC /6 reg", "fdivr STi,ST0", Op.X87, "", 0);
        b.row("DC /7 reg", "fdiv STi,ST0", Op.X87, "", 0);
        b.row("DD /0 reg", "ffree STi", Op.X87, "", 0);
        b.row("DD /2 reg", "fst STi", Op.X87, "", 0);
        b.row("DD /3 reg", "fstp STi", Op.X87, "", 0);
        b.row("DD /4 reg", "fucom STi", Op.X87, "", 0);
        b.row("DD /5 reg", "fucomp STi", Op.X87, "", 0);
        b.row("DE /0 reg", "faddp STi,ST0", Op.X87, "", 0);
        b.row("DE /1 reg", "fmulp STi,ST0", Op.X87, "", 0);
        b.row("DE /4 reg", "fsubrp STi,ST0", Op.X87, "", 0);
        b.row("DE /5 reg", "fsubp STi,ST0", Op.X87, "", 0);
        b.row("DE /6 reg", "fdivrp STi,ST0", Op.X87, "", 0);
        b.row("DE /7 reg", "fdivp STi,ST0", Op.X87, "", 0);
        b.row("DE D9", "fcompp", Op.X87, "", 0);
        b.row("DF /0 reg", "ffreep STi", Op.X87, "", 0);
        b.row("DF E0", "fnstsw AX", Op.X87, "", 0);
        b.row("DF /5 reg", "fucomip ST0,STi", Op.X87, "w:OSZAPC", 0);
        b.row("DF /6 reg", "fcomip ST0,STi", Op.X87, "w:OSZAPC", 0);
    }
}
