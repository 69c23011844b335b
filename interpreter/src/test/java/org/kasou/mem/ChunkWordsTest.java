package org.kasou.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ChunkWords against a little-endian ByteBuffer over the same chunk, at every alignment and at the chunk's edges. */
class ChunkWordsTest {
    private final byte[] chunk = new byte[PhysicalMemory.CHUNK_SIZE];
    private final ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);

    @Test
    void loadsMatchLittleEndianOrderAtAnyAlignment() {
        new SplittableRandom(7).nextBytes(chunk);
        int[] places = {0, 1, 2, 3, 5, 0x7FF, 0xFF0, 0x801, PhysicalMemory.CHUNK_SIZE - 9, PhysicalMemory.CHUNK_SIZE - 8};
        for (int i : places) {
            assertEquals(chunk[i] & 0xFF, ChunkWords.get8(chunk, i), "byte at " + i);
            assertEquals(view.getShort(i) & 0xFFFF, ChunkWords.get16(chunk, i), "word at " + i);
            assertEquals(view.getInt(i), ChunkWords.get32(chunk, i), "dword at " + i);
            assertEquals(view.getLong(i), ChunkWords.get64(chunk, i), "qword at " + i);
        }
        int last = PhysicalMemory.CHUNK_SIZE;
        assertEquals(chunk[last - 1] & 0xFF, ChunkWords.get8(chunk, last - 1));
        assertEquals(view.getShort(last - 2) & 0xFFFF, ChunkWords.get16(chunk, last - 2));
        assertEquals(view.getInt(last - 4), ChunkWords.get32(chunk, last - 4));
        assertEquals(view.getLong(last - 8), ChunkWords.get64(chunk, last - 8));
    }

    @Test
    void storesWriteOnlyTheirBytesInLittleEndianOrder() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 2_000; round++) {
            random.nextBytes(chunk);
            byte[] before = chunk.clone();
            int size = 1 << random.nextInt(4);
            int i = random.nextInt(PhysicalMemory.CHUNK_SIZE - size + 1);
            long v = random.nextLong();
            switch (size) {
                case 1 -> ChunkWords.set8(chunk, i, (int) v);
                case 2 -> ChunkWords.set16(chunk, i, (int) v);
                case 4 -> ChunkWords.set32(chunk, i, (int) v);
                default -> ChunkWords.set64(chunk, i, v);
            }
            for (int k = 0; k < chunk.length; k++) {
                byte expected = k >= i && k < i + size ? (byte) (v >>> (8 * (k - i))) : before[k];
                if (chunk[k] != expected) {
                    assertEquals(expected, chunk[k], "byte " + k + " after a " + size + "-byte store at " + i
                            + (ChunkWords.unchecked() ? " (Unsafe)" : " (VarHandle)"));
                }
            }
        }
    }
}
