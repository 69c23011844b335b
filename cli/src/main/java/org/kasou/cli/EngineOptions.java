package org.kasou.cli;

import org.kasou.jit.JitEngine;
import picocli.CommandLine.Option;

/** How guest code runs: the interpreter alone, or with the JIT compiling hot code. */
final class EngineOptions {
    @Option(names = "--jit", description = "compile hot guest code to JVM bytecode (the default)")
    boolean jit;

    @Option(names = "--no-jit", description = "run every instruction in the interpreter")
    boolean noJit;

    @Option(names = "--jit-threshold", paramLabel = "N", converter = NonNegative.class,
            description = "runs of a block before the JIT compiles it, within N x 10,000 guest instructions (default: "
                    + JitEngine.DEFAULT_THRESHOLD + "; 0 compiles everything)")
    Integer threshold;

    /** The JIT's compile threshold, or -1 to interpret only. */
    int jitThreshold() {
        if (noJit) {
            return -1;
        }
        if (threshold != null) {
            return threshold;
        }
        return JitEngine.DEFAULT_THRESHOLD;
    }

    /** A count: a decimal int of 0 or more. */
    static final class NonNegative implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a number");
            }
            if (n < 0) throw new picocli.CommandLine.TypeConversionException("'" + value + "' must be 0 or more");
            return n;
        }
    }
}
