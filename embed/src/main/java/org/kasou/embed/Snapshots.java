package org.kasou.embed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Takes and restores {@link Snapshot}s; restores only dirty pages when the layout is unchanged. */
final class Snapshots {
    private Snapshots() {}

    /** The snapshot that dirty bits are relative to, and the layout it was taken with. */
    record Baseline(Snapshot snapshot, long layoutVersion) {}

    static Snapshot take(Engine e, AddressSpace space) {
        // RAM only: device memory is the caller's, left as it is mapped when a snapshot is restored.
        List<MemoryRegion> regions = space.regions().stream().filter(r -> !r.device()).toList();
        Map<Integer, byte[]> pages = new HashMap<>();
        for (MemoryRegion r : regions) {
            for (long p = r.address() >>> 12; p < r.end() >>> 12; p++) {
                byte[] b = new byte[AddressSpace.PAGE];
                space.read(p << 12, b, 0, b.length);
                pages.put((int) p, b);
            }
        }
        space.clearDirty();
        return new Snapshot(e.mode(), e.options(), CpuContext.capture(e.cpu().state), List.copyOf(regions), pages);
    }

    static void restore(Engine e, AddressSpace space, Snapshot snap, boolean incremental) {
        if (incremental) {
            for (Map.Entry<Integer, byte[]> p : snap.pages.entrySet()) {
                if (space.dirty(p.getKey())) space.write((long) p.getKey() << 12, p.getValue(), 0, AddressSpace.PAGE);
            }
        } else {
            for (MemoryRegion r : space.regions()) if (!r.device()) space.unmap(r.address(), r.size());
            for (MemoryRegion r : snap.regions) space.map(r.address(), r.size(), r.perms());
            for (Map.Entry<Integer, byte[]> p : snap.pages.entrySet()) {
                space.write((long) p.getKey() << 12, p.getValue(), 0, AddressSpace.PAGE);
            }
        }
        space.clearDirty();
        snap.context.applyTo(e.cpu().state);
        e.cpu().memory.flushTlb();
    }
}
