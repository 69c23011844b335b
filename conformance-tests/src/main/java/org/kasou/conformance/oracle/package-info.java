/**
 * The host CPU as oracle: kasou's CPU against the real x86 it runs on, instruction by instruction.
 *
 * <ul>
 * <li>{@link org.kasou.conformance.oracle.NativeOracle} builds the native helper ({@code oracle.c},
 *   a resource of this package) with {@code gcc -m32} and runs batches of
 *   {@link org.kasou.conformance.oracle.TestCase}s in it: a 32-bit process whose test code sees a
 *   data region only through LDT data segments (so that a stray access faults instead of touching
 *   the harness), optionally a 16-bit code or stack segment, and whose faults come back from the
 *   signal's ucontext as x86 exceptions. A batch time limit and a watchdog bound everything; the
 *   process never outlives its owner.</li>
 * <li>{@link org.kasou.conformance.oracle.KasouRunner} runs the same case on kasou, set up as the
 *   helper's process is (CPL 3, same descriptors and linear addresses), on the interpreter or with
 *   the JIT compiling every block.</li>
 * <li>{@link org.kasou.conformance.oracle.CaseGenerator} draws cases from the instruction table;
 *   {@link org.kasou.conformance.oracle.Comparison} compares outcomes, masking only the flags that
 *   may be undefined where the code stopped.</li>
 * <li>{@link org.kasou.conformance.oracle.OracleFuzzer} ties them together (the suite test and
 *   {@code kasou conformance fuzz}); {@link org.kasou.conformance.oracle.EngineDifferential}
 *   compares the JIT with the interpreter on sequences with loops, which the host cannot run
 *   safely.</li>
 * </ul>
 *
 * <p>What is left out and why: privileged and I/O instructions, INT n, far transfers, CPUID,
 * RDTSC and the UMIP-emulated stores (SGDT...) differ between a user process and kasou by design;
 * selectors are LDT ones because the two GDTs differ; x87, MMX and SSE wait for kasou to execute
 * them (the helper already reports the x87 state).
 */
package org.kasou.conformance.oracle;
