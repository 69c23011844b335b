package org.kasou.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kasou.isa.Disassembler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "disasm", mixinStandardHelpOptions = true,
        description = {"Disassembles raw x86 code in Intel syntax, spelled as objdump -d -M intel spells it.",
            "One instruction per line: ADDRESS<TAB>HEX BYTES<TAB>TEXT; bytes that do not decode print (bad)."})
final class DisasmCommand implements Callable<Integer> {
    @ParentCommand
    Kasou kasou;

    @Option(names = "--bits", paramLabel = "16|32", defaultValue = "32",
            description = "code size: 16-bit (real mode) or 32-bit code (default: ${DEFAULT-VALUE})")
    int bits;

    @Option(names = "--org", paramLabel = "ADDR", defaultValue = "0", converter = NumberConverter.class,
            description = "address of the file's first byte, decimal or 0x-prefixed hex (default: ${DEFAULT-VALUE})")
    long org;

    @Option(names = "--start", paramLabel = "OFFSET", defaultValue = "0", converter = NumberConverter.class,
            description = "file offset where disassembly starts (default: ${DEFAULT-VALUE})")
    long start;

    @Option(names = "--length", paramLabel = "N", converter = NumberConverter.class,
            description = "number of bytes to disassemble (default: to the end of the file)")
    Long length;

    @Parameters(paramLabel = "FILE", description = "the file of raw code bytes")
    Path file;

    @Override
    public Integer call() {
        PrintStream err = kasou.err;
        if (bits != 16 && bits != 32) {
            return usage("--bits must be 16 or 32, not " + bits);
        }
        if (start < 0) return usage("--start must not be negative");
        if (length != null && length < 0) return usage("--length must not be negative");
        if (org < 0 || org > 0xFFFFFFFFL) return usage("--org must be an address between 0 and 0xffffffff");
        byte[] code;
        try {
            long size = Files.size(file);
            if (start > size || (start == size && size > 0)) {
                return usage("--start " + start + " is beyond the end of " + file + " (" + size + " bytes)");
            }
            long n = Math.min(length == null ? size - start : length, size - start);
            if (n > Integer.MAX_VALUE - 16) return usage("--length is too large: disassemble at most 2 GiB at a time");
            code = new byte[(int) n];
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                in.seek(start);
                in.readFully(code);
            }
        } catch (NoSuchFileException e) {
            err.println("kasou disasm: " + file + ": no such file");
            return ExitCodes.BAD_FILE;
        } catch (IOException e) {
            err.println("kasou disasm: cannot read " + file + ": " + e.getMessage());
            return ExitCodes.BAD_FILE;
        }
        // one write per 64 KiB rather than per line: listings run to hundreds of thousands of lines
        PrintStream out = new PrintStream(new BufferedOutputStream(kasou.out, 1 << 16), false, StandardCharsets.UTF_8);
        print(code, out);
        return ExitCodes.OK;
    }

    private void print(byte[] code, PrintStream out) {
        Disassembler dis = new Disassembler(bits);
        long base = org + start;
        String addressFormat = bits == 32 ? "%08x" : "%04x";
        StringBuilder line = new StringBuilder(96);
        for (int off = 0; off < code.length; ) {
            int len = dis.disassemble(code, off, code.length, base + off);
            line.setLength(0);
            line.append(String.format(Locale.ROOT, addressFormat, (base + off) & 0xFFFFFFFFL)).append('\t');
            for (int i = 0; i < len; i++) {
                if (i > 0) line.append(' ');
                int b = code[off + i] & 0xFF;
                line.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            }
            line.append('\t').append(dis.text());
            out.println(line);
            off += len;
        }
        out.flush();
    }

    private int usage(String message) {
        kasou.err.println("kasou disasm: " + message + " (see 'kasou disasm --help')");
        return ExitCodes.USAGE;
    }

    /** Decimal or 0x-prefixed hexadecimal numbers. */
    static final class NumberConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a number (decimal, or hex with 0x)");
            }
        }
    }
}
