package org.kasou.pc.chips;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.function.LongSupplier;
import org.kasou.io.PortDevice;

/**
 * The MC146818 real-time clock and its CMOS memory at ports 0x70 (index; bit 7 is the NMI mask)
 * and 0x71 (data), as in a PC (Motorola MC146818A data sheet): the time registers follow the
 * machine's clock from the host's time of day at start, in BCD or binary and 12- or 24-hour form
 * (register B), with the update-in-progress flag, the periodic and update-ended interrupts on
 * IRQ 8 (register C says which, reading it clears them; the alarm registers are plain memory and
 * raise nothing), and the memory-size bytes a BIOS leaves for the operating system.
 */
public final class CmosRtc implements PortDevice {
    public static final int PORT = 0x70;
    private static final int SECONDS = 0, MINUTES = 2, HOURS = 4, WEEKDAY = 6, DAY = 7, MONTH = 8, YEAR = 9, REG_A = 10, REG_B = 11, REG_C = 12, REG_D = 13, CENTURY = 0x32;
    private static final int B_SET = 0x80, B_PIE = 0x40, B_UIE = 0x10, B_BINARY = 0x04, B_24H = 0x02;
    private static final int C_IRQF = 0x80, C_PF = 0x40, C_UF = 0x10;
    /** The update cycle: 244 us before each second ends, UIP is set. */
    private static final long UIP_NANOS = 244_000;

    private final byte[] ram = new byte[128];
    private final LongSupplier clock;
    /** Epoch seconds of the guest's time at clock zero (the guest can set it through register B's SET bit). */
    private long epochAtZero;
    private int index;
    /** Clock nanoseconds up to which periodic and update interrupts have been raised. */
    private long periodicSeen, updateSeen;
    public Runnable irq8 = () -> { };

    /** The time of day at clock zero in deterministic runs (2026-01-01 00:00:00 UTC), so that they repeat. */
    public static final long DETERMINISTIC_EPOCH = 1_767_225_600L;

    public CmosRtc(LongSupplier clock, int ramBytes) {
        this(clock, ramBytes, Instant.now().getEpochSecond());
    }

    /** @param epochAtZero the time of day (epoch seconds) when the clock reads zero */
    public CmosRtc(LongSupplier clock, int ramBytes, long epochAtZero) {
        this.clock = clock;
        this.epochAtZero = epochAtZero;
        ram[REG_A] = 0x26; // 32.768 kHz time base, 1024 Hz periodic rate
        ram[REG_B] = B_24H;
        ram[REG_D] = (byte) 0x80; // battery good
        // Memory sizes in KiB, as a PC BIOS stores them: base, 1-16 MiB, 16 MiB-4 GiB in 64 KiB units.
        put16(0x15, 640);
        int ext = Math.min((ramBytes >> 10) - 1024, 0xFFFF);
        put16(0x17, Math.max(ext, 0));
        put16(0x30, Math.max(ext, 0));
        long above16 = Math.max(0, ((long) ramBytes - (16 << 20)) >> 16);
        put16(0x34, (int) Math.min(above16, 0xFFFF));
        ram[0x10] = 0; // no floppy
        ram[0x14] = 0x06; // equipment: math coprocessor, VGA
    }

    private void put16(int at, int v) {
        ram[at] = (byte) v;
        ram[at + 1] = (byte) (v >>> 8);
    }

    private long nanos() {
        return clock.getAsLong();
    }

    private ZonedDateTime now() {
        long ns = nanos();
        return Instant.ofEpochSecond(epochAtZero + ns / 1_000_000_000L).atZone(ZoneOffset.UTC);
    }

    /** Raises IRQ 8 for the periodic and update-ended events that came due (polled with the timers). */
    public void poll() {
        long ns = nanos();
        int flags = 0;
        int rate = ram[REG_A] & 0x0F;
        if (rate != 0) {
            long period = periodNanos(rate);
            if (ns / period > periodicSeen / period) flags |= C_PF;
        }
        if (ns / 1_000_000_000L > updateSeen / 1_000_000_000L && (ram[REG_B] & B_SET) == 0) flags |= C_UF;
        periodicSeen = ns;
        updateSeen = ns;
        if (flags == 0) return;
        int c = ram[REG_C] & 0xFF | flags;
        int enabled = ram[REG_B] & (B_PIE | B_UIE);
        boolean raise = (flags & C_PF) != 0 && (enabled & B_PIE) != 0 || (flags & C_UF) != 0 && (enabled & B_UIE) != 0;
        if (raise) c |= C_IRQF;
        ram[REG_C] = (byte) c;
        if (raise) irq8.run();
    }

    /** The periodic interrupt's period for rate select 1-15 (32.768 kHz >> (rate - 1); 1 and 2 act as 8 and 9). */
    static long periodNanos(int rate) {
        if (rate <= 2) rate += 7;
        return 1_000_000_000L * (1L << (rate - 1)) / 32768;
    }

    private int encode(int v) {
        return (ram[REG_B] & B_BINARY) != 0 ? v : (v / 10) << 4 | v % 10;
    }

    private int decode(int v) {
        return (ram[REG_B] & B_BINARY) != 0 ? v : (v >> 4) * 10 + (v & 0xF);
    }

    private int hours(int h) {
        if ((ram[REG_B] & B_24H) != 0) return encode(h);
        int h12 = h % 12 == 0 ? 12 : h % 12;
        return encode(h12) | (h >= 12 ? 0x80 : 0);
    }

    @Override
    public int in(int port, int size) {
        if (port == PORT) return 0xFF; // the index register is write-only
        ZonedDateTime t = now();
        switch (index) {
            case SECONDS: return encode(t.getSecond());
            case MINUTES: return encode(t.getMinute());
            case HOURS: return hours(t.getHour());
            case WEEKDAY: return encode(t.getDayOfWeek().getValue() % 7 + 1);
            case DAY: return encode(t.getDayOfMonth());
            case MONTH: return encode(t.getMonthValue());
            case YEAR: return encode(t.getYear() % 100);
            case CENTURY: return encode(t.getYear() / 100);
            case REG_A: {
                boolean uip = nanos() % 1_000_000_000L >= 1_000_000_000L - UIP_NANOS && (ram[REG_B] & B_SET) == 0;
                return ram[REG_A] & 0x7F | (uip ? 0x80 : 0);
            }
            case REG_C: {
                poll();
                int c = ram[REG_C] & 0xFF;
                ram[REG_C] = 0; // reading C clears the flags (and the interrupt request)
                return c;
            }
            default: return ram[index] & 0xFF;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        if (port == PORT) {
            index = value & 0x7F;
            return;
        }
        int v = value & 0xFF;
        switch (index) {
            case SECONDS: case MINUTES: case HOURS: case DAY: case MONTH: case YEAR: case CENTURY:
                setTime(index, v);
                return;
            case REG_A:
                ram[REG_A] = (byte) (v & 0x7F);
                return;
            case REG_B:
                ram[REG_B] = (byte) v;
                return;
            case REG_C: case REG_D:
                return; // read-only
            default:
                ram[index] = (byte) v;
        }
    }

    /** The guest sets the clock: the time of day moves, the machine's clock does not. */
    private void setTime(int reg, int v) {
        ZonedDateTime t = now();
        int d = reg == HOURS ? decodeHours(v) : decode(v);
        switch (reg) {
            case SECONDS: t = t.withSecond(Math.min(d, 59)); break;
            case MINUTES: t = t.withMinute(Math.min(d, 59)); break;
            case HOURS: t = t.withHour(Math.min(d, 23)); break;
            case DAY: t = t.withDayOfMonth(Math.max(1, Math.min(d, 28))); break;
            case MONTH: t = t.withMonth(Math.max(1, Math.min(d, 12))); break;
            case YEAR: t = t.withYear(t.getYear() / 100 * 100 + d); break;
            default: t = t.withYear(d * 100 + t.getYear() % 100); break;
        }
        epochAtZero = t.toEpochSecond() - nanos() / 1_000_000_000L;
    }

    private int decodeHours(int v) {
        if ((ram[REG_B] & B_24H) != 0) return decode(v);
        int h = decode(v & 0x7F) % 12;
        return (v & 0x80) != 0 ? h + 12 : h;
    }
}
