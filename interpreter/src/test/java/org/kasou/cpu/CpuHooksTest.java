package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.kasou.io.IoPortBus;
import org.kasou.isa.DecodedInsn;
import org.kasou.mem.AccessWatcher;
import org.kasou.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;

/** The embedder's callbacks: watched pages step with a call per instruction, events and CPUID go to it first. */
class CpuHooksTest {
    /** inc ax; mov [0x2000],ax; cpuid; int 0x21; hlt (real mode, at 0x1000) */
    static final byte[] CODE = {0x40, (byte) 0xA3, 0x00, 0x20, 0x0F, (byte) 0xA2, (byte) 0xCD, 0x21, (byte) 0xF4};

    static final class Recorder implements CpuHooks, AccessWatcher {
        final List<String> log = new ArrayList<>();
        boolean watchAll = true;
        int stopAt = -1;
        Cpu cpu;

        @Override
        public boolean stepsCode(int first, int last) {
            return watchAll;
        }

        @Override
        public boolean beforeInstruction(int linear, DecodedInsn insn) {
            log.add("insn " + Integer.toHexString(linear) + " " + insn.len);
            if (linear == stopAt) cpu.requestStop();
            return false;
        }

        @Override
        public boolean interrupt(int vector, int errorCode, int kind) {
            log.add("int " + Integer.toHexString(vector) + " eip " + Integer.toHexString(cpu.state.eip));
            return vector == 0x21;
        }

        @Override
        public boolean cpuid(CpuState s) {
            log.add("cpuid " + s.gpr[CpuState.EAX]);
            s.gpr[CpuState.EAX] = 0x1234;
            return true;
        }

        @Override
        public void beforeRead(int linear, int size) {
            log.add("read " + Integer.toHexString(linear));
        }

        @Override
        public void afterRead(int linear, int size, int value) {
            log.add("read " + Integer.toHexString(linear) + " = " + value);
        }

        @Override
        public void beforeWrite(int linear, int size, int value) {
            log.add("write " + Integer.toHexString(linear) + "/" + size + " = " + value);
        }
    }

    static Recorder setUp(Cpu cpu) {
        cpu.physical.load(0x1000, CODE, 0, CODE.length);
        cpu.state.seg[Segment.CS].loadReal(0);
        cpu.state.eip = 0x1000;
        Recorder r = new Recorder();
        r.cpu = cpu;
        cpu.hooks = r;
        return r;
    }

    @Test
    void watchedCodeAnnouncesEachInstructionAndEventsGoToTheHooksFirst() {
        Cpu cpu = TestCpus.create(new PhysicalMemory(1 << 20), new IoPortBus());
        Recorder r = setUp(cpu);
        cpu.memory.setAccessWatcher(r);
        assertEquals(StopReason.HALTED, cpu.run(100));
        assertEquals(List.of("insn 1000 1", "insn 1001 3", "write 2000/2 = 1", "insn 1004 2", "cpuid 1", "insn 1006 2",
                "int 21 eip 1008", "insn 1008 1"), r.log);
        assertEquals(0x1234, cpu.state.gpr[CpuState.EAX]);
        assertEquals(5, cpu.instructions);
        assertEquals(0, cpu.interpreter().internalErrors());
    }

    @Test
    void aStopRequestedBeforeAnInstructionKeepsItFromRunning() {
        Cpu cpu = TestCpus.create(new PhysicalMemory(1 << 20), new IoPortBus());
        Recorder r = setUp(cpu);
        r.stopAt = 0x1004;
        assertEquals(StopReason.STOP_REQUESTED, cpu.run(100));
        assertEquals(0x1004, cpu.state.eip);
        assertEquals(2, cpu.instructions);
        assertEquals(1, cpu.physical.read16(0x2000));
    }

    @Test
    void unwatchedPagesRunWithoutCallsAndWithoutTheWatcher() {
        Cpu cpu = TestCpus.create(new PhysicalMemory(1 << 20), new IoPortBus());
        Recorder r = setUp(cpu);
        r.watchAll = false;
        assertEquals(StopReason.HALTED, cpu.run(100));
        assertEquals(List.of("cpuid 1", "int 21 eip 1008"), r.log);
        assertEquals(0x1234, cpu.state.gpr[CpuState.EAX]);
    }
}
