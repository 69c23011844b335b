package org.kasou.cpu.exec;

import static org.kasou.fpu.FpuStatus.C1;
import static org.kasou.fpu.FpuStatus.IE;
import static org.kasou.fpu.FpuStatus.SF;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.FpuState;
import org.kasou.fpu.Constants;
import org.kasou.fpu.Ext80;
import org.kasou.fpu.FpuResult;
import org.kasou.fpu.Loads;
import org.kasou.fpu.Stores;
import org.kasou.isa.DecodedInsn;

/**
 * Moving values on and off the register stack: FLD, FILD, FBLD and the constants (pushes), FST,
 * FIST, FBSTP (stores, popping or not), FLD/FST ST(i), FXCH and FCMOVcc.
 */
final class X87Transfer {
    /** Memory formats of loads and stores. */
    static final int FLOAT32 = 0, FLOAT64 = 1, FLOAT80 = 2, INT16 = 3, INT32 = 4, INT64 = 5, BCD = 6;

    private X87Transfer() {}

    /** FLD, FILD, FBLD from memory. */
    static void load(Cpu cpu, DecodedInsn d, int ea, int format) {
        FpuState f = cpu.state.fpu;
        long low = 0;
        int high = 0;
        switch (format) {
            case FLOAT32, INT32 -> low = X87Memory.read32(cpu, d, ea, 0);
            case INT16 -> low = (short) X87Memory.read16(cpu, d, ea, 0);
            case FLOAT64, INT64 -> low = X87Memory.read64(cpu, d, ea, 0);
            default -> { // FLOAT80, BCD
                X87Memory.probeRead(cpu, d, ea, 10);
                low = X87Memory.read64(cpu, d, ea, 0);
                high = X87Memory.read16(cpu, d, ea, 8);
            }
        }
        if (!X87Stack.pushAllowed(f)) return;
        FpuResult r = X87Stack.begin(f);
        switch (format) {
            case FLOAT32 -> Loads.float32(r, (int) low);
            case FLOAT64 -> Loads.float64(r, low);
            case INT16, INT32 -> Loads.integer(r, (int) low);
            case INT64 -> Loads.integer(r, low);
            case BCD -> Loads.packedBcd(r, low, high);
            default -> { // an 80-bit value is loaded as it is, whatever it holds
                f.push(high, low);
                X87Stack.clearC1(f);
                return;
            }
        }
        X87Stack.merge(f, r);
        if (r.written) f.push(r.se, r.sig);
    }

    /** FST, FSTP, FIST, FISTP, FBSTP to memory. */
    static void store(Cpu cpu, DecodedInsn d, int ea, int format, boolean pop) {
        FpuState f = cpu.state.fpu;
        int size = switch (format) {
            case FLOAT32, INT32 -> 4;
            case INT16 -> 2;
            case FLOAT64, INT64 -> 8;
            default -> 10;
        };
        X87Memory.probeWrite(cpu, d, ea, size);
        boolean empty = f.empty(0);
        if (empty && (f.control & IE) == 0) {
            X87Stack.underflow(f);
            return;
        }
        // an empty ST(0) stores what the indefinite converts to: the masked response
        int se = empty ? Ext80.INDEFINITE_SE : f.stSe(0);
        long sig = empty ? Ext80.INDEFINITE_SIG : f.stSig(0);
        FpuResult r = X87Stack.begin(f);
        switch (format) {
            case FLOAT32 -> Stores.float32(r, se, sig);
            case FLOAT64 -> Stores.float64(r, se, sig);
            case INT16 -> Stores.integer(r, se, sig, 16);
            case INT32 -> Stores.integer(r, se, sig, 32);
            case INT64 -> Stores.integer(r, se, sig, 64);
            case BCD -> Stores.packedBcd(r, se, sig);
            default -> {
                r.status = 0;
                r.codes = C1;
                r.written = true;
                r.memory = sig;
                r.memoryHigh = se;
            }
        }
        if (r.written) {
            switch (size) {
                case 2 -> X87Memory.write16(cpu, d, ea, 0, (int) r.memory);
                case 4 -> X87Memory.write32(cpu, d, ea, 0, (int) r.memory);
                case 8 -> X87Memory.write64(cpu, d, ea, 0, r.memory);
                default -> X87Memory.write80(cpu, d, ea, 0, r.memoryHigh, r.memory);
            }
        }
        X87Stack.merge(f, r);
        if (empty) f.status = (f.status & ~C1) | IE | SF;
        if (r.written && pop) f.pop();
    }

    /** FLD ST(i): an empty source is reported (as underflow) before a full stack. */
    static void loadRegister(FpuState f, int i) {
        if (f.empty(i)) {
            if (X87Stack.underflow(f)) f.push(Ext80.INDEFINITE_SE, Ext80.INDEFINITE_SIG);
            return;
        }
        int se = f.stSe(i);
        long sig = f.stSig(i);
        if (!X87Stack.pushAllowed(f)) return;
        f.push(se, sig);
        X87Stack.clearC1(f);
    }

    /** FST ST(i), FSTP ST(i). */
    static void storeRegister(FpuState f, int i, boolean pop) {
        if (f.empty(0)) {
            if (!X87Stack.underflow(f)) return;
            X87Stack.setIndefinite(f, i);
        } else {
            f.set(i, f.stSe(0), f.stSig(0));
            X87Stack.clearC1(f);
        }
        if (pop) f.pop();
    }

    /** FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (D9 E8 + k). */
    static void constant(FpuState f, int k) {
        if (!X87Stack.pushAllowed(f)) return;
        FpuResult r = X87Stack.begin(f);
        Constants.load(r, Constants.Value.values()[k]);
        X87Stack.merge(f, r);
        f.push(r.se, r.sig);
    }

    /** FXCH ST(i): an empty register takes part as the indefinite when IE is masked. */
    static void exchange(FpuState f, int i) {
        if (f.empty(0) || f.empty(i)) {
            if (!X87Stack.underflow(f)) return;
            if (f.empty(0)) X87Stack.setIndefinite(f, 0);
            if (f.empty(i)) X87Stack.setIndefinite(f, i);
        } else {
            X87Stack.clearC1(f);
        }
        int se = f.stSe(0);
        long sig = f.stSig(0);
        f.set(0, f.stSe(i), f.stSig(i));
        f.set(i, se, sig);
    }

    /** FCMOVcc ST(0), ST(i). */
    static void conditionalMove(FpuState f, int i, boolean condition) {
        if (f.empty(0) || f.empty(i)) {
            if (X87Stack.underflow(f)) X87Stack.setIndefinite(f, 0);
            return;
        }
        if (condition) f.set(0, f.stSe(i), f.stSig(i));
    }
}
