package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;
import static org.kasou.embed.Guests.*;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotTest {
    /** mov ecx,[DATA]; L: add [DATA+4],ecx; inc dword [DATA]; dec ecx; jnz L; mov eax,[DATA+4]; hlt */
    static final byte[] SUM = bytes(0x8B, 0x0D, 0x00, 0x20, 0, 0, 0x01, 0x0D, 0x04, 0x20, 0, 0, 0xFF, 0x05, 0x00, 0x20, 0, 0,
            0x49, 0x75, 0xF1, 0xA1, 0x04, 0x20, 0, 0, 0xF4);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void contextsSaveAndRestoreRegisters(boolean jit) {
        Engine e = engine(jit, EngineRunTest.LOOP);
        e.setReg(Register.EBX, 77);
        CpuContext c = e.saveContext();
        RunResult first = e.run(Run.from(CODE).count(100));
        long eax = e.reg(Register.EAX);
        e.setReg(Register.EBX, 1);
        e.restoreContext(c);
        assertEquals(0, e.reg(Register.EAX));
        assertEquals(77, e.reg(Register.EBX));
        assertEquals(77, c.get(Register.EBX));
        RunResult again = e.run(Run.from(CODE).count(100));
        assertEquals(first, again);
        assertEquals(eax, e.reg(Register.EAX));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void snapshotsRestoreMemoryAndRegistersForRepeatedRuns(boolean jit) {
        Engine e = engine(jit, SUM);
        e.writeU32(DATA, 10);
        e.setReg(Register.EIP, CODE);
        Snapshot s = e.snapshot();
        for (int i = 0; i < 5; i++) {
            RunResult r = e.run(Run.from(CODE));
            assertEquals(StopCause.HALTED, r.cause());
            assertEquals(55, e.reg(Register.EAX), "run " + i);
            assertEquals(20, e.readU32(DATA));
            e.restore(s);
            assertEquals(10, e.readU32(DATA));
            assertEquals(0, e.readU32(DATA + 4));
            assertEquals(0, e.reg(Register.EAX));
        }
        // writes from the API count as changes too
        e.writeU32(DATA + 0x2000, 99);
        e.restore(s);
        assertEquals(0, e.readU32(DATA + 0x2000));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void restoringAfterTheLayoutChangedRebuildsRegions(boolean jit) {
        Engine e = engine(jit, SUM);
        e.writeU32(DATA, 3);
        Snapshot s = e.snapshot();
        List<MemoryRegion> before = e.regions();
        e.unmap(DATA + 0x1000, 0x1000);
        e.map(0x50000, 0x1000, Perm.READ);
        e.writeU32(DATA, 4);
        Snapshot other = e.snapshot();
        e.restore(s);
        assertEquals(before, e.regions());
        assertEquals(3, e.readU32(DATA));
        RunResult r = e.run(Run.from(CODE));
        assertEquals(StopCause.HALTED, r.cause());
        assertEquals(6, e.reg(Register.EAX));
        e.restore(other);
        assertEquals(4, e.readU32(DATA));
        assertThrows(IllegalArgumentException.class, () -> e.readU32(DATA + 0x1000));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void enginesClonedFromASnapshotRunOnTheirOwn(boolean jit) throws Exception {
        Engine e = engine(jit, SUM);
        e.writeU32(DATA, 10);
        e.setReg(Register.EIP, CODE);
        Snapshot s = e.snapshot();
        Engine copy = Engine.fromSnapshot(s);
        assertEquals(e.regions(), copy.regions());
        assertEquals(jit, copy.options().jit());
        copy.writeU32(DATA, 4);
        assertEquals(StopCause.HALTED, copy.run(Run.from(CODE)).cause());
        assertEquals(10, copy.reg(Register.EAX));
        assertEquals(StopCause.HALTED, e.run(Run.from(CODE)).cause());
        assertEquals(55, e.reg(Register.EAX));
        assertThrows(IllegalArgumentException.class, () -> Engine.create(Mode.REAL_16).restore(s));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void contextsIncludeTheX87State(boolean jit) {
        // fld1; fldpi; fstp qword [DATA]; hlt
        Engine e = engine(jit, bytes(0xD9, 0xE8, 0xD9, 0xEB, 0xDD, 0x1D, 0x00, 0x20, 0, 0, 0xF4));
        CpuContext c = e.saveContext();
        int top = e.cpu().state.fpu.top, tags = e.cpu().state.fpu.tags;
        assertEquals(StopCause.HALTED, e.run(Run.from(CODE)).cause());
        assertEquals(Math.PI, Double.longBitsToDouble(e.readU64(DATA)));
        assertNotEquals(tags, e.cpu().state.fpu.tags);
        CpuContext after = e.saveContext();
        e.restoreContext(c);
        assertEquals(top, e.cpu().state.fpu.top);
        assertEquals(tags, e.cpu().state.fpu.tags);
        e.restoreContext(after);
        // the 1.0 left on the stack is still there: fstp stores it
        e.write(CODE, bytes(0xDD, 0x1D, 0x08, 0x20, 0, 0, 0xF4));
        assertEquals(StopCause.HALTED, e.run(Run.from(CODE)).cause());
        assertEquals(1.0, Double.longBitsToDouble(e.readU64(DATA + 8)));
    }
}
