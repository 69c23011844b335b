package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Mode#SYSTEM_32}: the caller's descriptor tables and page tables, in physical memory it mapped. */
class SystemModeTest {
    static final long PAGE_DIR = 0x10000, PAGE_TABLE = 0x11000, GDT = 0x20000, CODE = 0x1000, REMAPPED = 0x150000;

    /** 2 MiB of physical memory, a GDT (flat code 0x08, flat data 0x10, data based at 0x1000 as 0x18) and page tables. */
    static Engine machine(boolean jit, byte[] code) {
        Engine e = Engine.create(Mode.SYSTEM_32, EngineOptions.defaults().withJit(jit).withJitThreshold(0));
        e.map(0, 0x200000, Perm.ALL);
        e.writeU64(GDT + 8, 0x00CF9B000000FFFFL);
        e.writeU64(GDT + 16, 0x00CF93000000FFFFL);
        e.writeU64(GDT + 24, 0x00CF93001000FFFFL);
        e.setReg(Register.GDTR_BASE, GDT);
        e.setReg(Register.GDTR_LIMIT, 31);
        // Linear = physical in the first 4 MiB, except page 5 (to REMAPPED) and page 6 (not present).
        e.writeU32(PAGE_DIR, PAGE_TABLE | 3);
        for (int i = 0; i < 1024; i++) e.writeU32(PAGE_TABLE + 4 * i, ((long) i << 12) | 3);
        e.writeU32(PAGE_TABLE + 4 * 5, REMAPPED | 3);
        e.writeU32(PAGE_TABLE + 4 * 6, 0);
        e.write(CODE, code);
        e.setReg(Register.ESP, 0x9000);
        return e;
    }

    @ParameterizedTest(name = "jit={0}")
    @ValueSource(booleans = {false, true})
    void guestTurnsItsOwnPagingOnAndFaultsThroughIt(boolean jit) {
        byte[] code = Guests.bytes(
                0xB8, 0x00, 0x00, 0x01, 0x00,       // mov eax, PAGE_DIR
                0x0F, 0x22, 0xD8,                   // mov cr3, eax
                0x0F, 0x20, 0xC0,                   // mov eax, cr0
                0x0D, 0x00, 0x00, 0x00, 0x80,       // or eax, CR0.PG
                0x0F, 0x22, 0xC0,                   // mov cr0, eax
                0x66, 0xB8, 0x18, 0x00,             // mov ax, 0x18 (the caller's GDT: base 0x1000)
                0x8E, 0xD8,                         // mov ds, ax
                0xB8, 0xEF, 0xBE, 0xAD, 0xDE,       // mov eax, 0xDEADBEEF
                0xA3, 0x00, 0x40, 0x00, 0x00,       // mov [0x4000], eax: linear 0x5000, physical REMAPPED
                0xA1, 0x00, 0x50, 0x00, 0x00,       // mov eax, [0x5000]: linear 0x6000, not present
                0xF4);
        Engine e = machine(jit, code);
        RunResult r = e.run(Run.from(CODE).count(1000));
        assertEquals(StopCause.EXCEPTION, r.cause(), r.toString());
        assertEquals(14, r.vector());
        assertEquals(0, r.errorCode(), "a read of a page not present, at CPL 0");
        assertEquals(0x6000, e.reg(Register.CR2));
        assertEquals(CODE + 35, r.address(), "EIP on the faulting instruction");
        assertEquals(0xDEADBEEFL, e.readU32(REMAPPED), "the write went where the caller's page table says");
        assertEquals(0, e.readU32(0x5000));
        assertEquals(0x18, e.reg(Register.DS));
        assertEquals(0x1000, e.segment(Register.DS).base());
    }

    @ParameterizedTest(name = "jit={0}")
    @ValueSource(booleans = {false, true})
    void pageFaultsGoThroughTheGuestsIdtWhenAsked(boolean jit) {
        Engine e = Engine.create(Mode.SYSTEM_32, EngineOptions.defaults().withJit(jit).withJitThreshold(0).withGuestInterrupts(true));
        e.map(0, 0x200000, Perm.ALL);
        Engine m = machine(jit, Guests.bytes(0xA1, 0x00, 0x60, 0x00, 0x00, 0xF4)); // mov eax, [0x6000]; hlt
        // The same machine with the guest's interrupts: copy its memory, add an IDT whose #PF handler sets EBX and halts.
        e.write(0, m.read(0, 0x200000));
        e.setReg(Register.GDTR_BASE, GDT);
        e.setReg(Register.GDTR_LIMIT, 31);
        long handler = 0x3000;
        e.write(handler, Guests.bytes(0xBB, 0x0E, 0x00, 0x00, 0x00, 0xF4)); // mov ebx, 14; hlt
        long idt = 0x21000;
        e.writeU64(idt + 14 * 8, (handler & 0xFFFF) | 0x08L << 16 | 0x8E00L << 32 | (handler >>> 16) << 48);
        e.setReg(Register.IDTR_BASE, idt);
        e.setReg(Register.IDTR_LIMIT, 0x7FF);
        e.setReg(Register.ESP, 0x9000);
        e.setReg(Register.CR3, PAGE_DIR);
        e.setReg(Register.CR0, e.reg(Register.CR0) | 0x80000000L);
        RunResult r = e.run(Run.from(CODE).count(1000));
        assertEquals(StopCause.HALTED, r.cause(), r.toString());
        assertEquals(14, e.reg(Register.EBX));
        assertEquals(0x6000, e.reg(Register.CR2));
        // The handler's stack, from the top: EFLAGS, CS, the faulting EIP, the error code.
        assertEquals(0x08, e.readU32(0x9000 - 8));
        assertEquals(CODE, e.readU32(0x9000 - 12), "the faulting EIP");
        assertEquals(0, e.readU32(0x9000 - 16), "the error code: a read, not present");
    }

    @Test
    void regionsArePhysicalAndBoundedByPhysicalMemory() {
        Engine e = Engine.create(Mode.SYSTEM_32, EngineOptions.defaults().withPhysicalMemory(8 << 20));
        e.map(0x700000, 0x100000, Perm.READ | Perm.WRITE);
        e.writeU32(0x7FFFFC, 0x12345678);
        assertEquals(0x12345678, e.readU32(0x7FFFFC));
        assertThrows(IllegalArgumentException.class, () -> e.map(0x800000, 0x1000, Perm.ALL), "beyond physical memory");
        assertEquals(0, e.reg(Register.CR0) & 0x80000000L, "paging off until the caller turns it on");
        assertEquals(1, e.reg(Register.CR0) & 1);
    }
}
