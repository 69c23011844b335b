/**
 * kasou's CPU core as a library: {@link org.kasou.embed.Engine} maps memory with permissions, sets
 * registers, runs guest code until an address, a count, a time or a stop, and reports what it does
 * through hooks ({@link org.kasou.embed.Hooks}); {@link org.kasou.embed.Snapshot}s reset it cheaply
 * and {@link org.kasou.embed.Disassembly} prints its code.
 */
package org.kasou.embed;
