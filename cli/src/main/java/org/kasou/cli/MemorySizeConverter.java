package org.kasou.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses a RAM size such as 128M, 1G, 65536K or a plain number of bytes. */
final class MemorySizeConverter implements CommandLine.ITypeConverter<Integer> {
    static final long MIN = 2L << 20;
    /** RAM sizes are Java ints (RAM ends below 2 GiB; the space above is left to devices). */
    static final long MAX = 2047L << 20;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([KMG]?)(I?B)?");

    @Override
    public Integer convert(String value) {
        return (int) parse(value);
    }

    static long parse(String value) {
        Matcher m = SIZE.matcher(value.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (for example 128M or 1G)");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        if (n > (MAX >> shift)) {
            throw new CommandLine.TypeConversionException("'" + value + "' is more than the 2047M kasou can give a guest");
        }
        long bytes = n << shift;
        if (bytes < MIN) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too small: a guest needs at least 2M");
        }
        if ((bytes & 0xFFF) != 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a multiple of 4K");
        }
        return bytes;
    }
}
