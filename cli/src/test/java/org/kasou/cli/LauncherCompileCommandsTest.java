package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher keeps C2 off the code that translates guest code by naming its classes and methods
 * (`translation_code` in ./kasou). HotSpot ignores a pattern that matches nothing, so a renamed
 * class would silently drop out of the list: each pattern must name a class (or, ending in
 * {@code .*}, a package) and a method that exist.
 */
class LauncherCompileCommandsTest {
    private static final Pattern ENTRY = Pattern.compile("^\\s+'([^']+)'\\s*$");

    private static List<String> translationCode() throws IOException {
        Path launcher = Path.of("..", "kasou");
        List<String> lines = Files.readAllLines(launcher);
        List<String> found = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("translation_code=(")) {
                inside = true;
            } else if (inside && line.trim().equals(")")) {
                break;
            } else if (inside) {
                Matcher m = ENTRY.matcher(line);
                assertTrue(m.matches(), "not a quoted pattern: " + line);
                found.add(m.group(1));
            }
        }
        return found;
    }

    @Test
    void everyPatternNamesCodeThatExists() throws Exception {
        List<String> patterns = translationCode();
        assertFalse(patterns.isEmpty(), "no translation_code list in ./kasou");
        ClassLoader loader = getClass().getClassLoader();
        for (String p : patterns) {
            String[] parts = p.split("::");
            assertTrue(parts.length == 2, "class::method expected: " + p);
            String cls = parts[0], method = parts[1];
            if (cls.endsWith(".*")) {
                String dir = cls.substring(0, cls.length() - 2).replace('.', '/') + "/";
                assertTrue(loader.getResource(dir) != null, "no package " + cls + " on the class path");
                assertTrue(method.equals("*"), "a package's pattern names all its methods: " + p);
                continue;
            }
            // A trailing * also takes the class's nested classes (Decoder$..., UnitCompiler$...).
            Class<?> c = Class.forName(cls.endsWith("*") ? cls.substring(0, cls.length() - 1) : cls, false, loader);
            if (method.equals("*")) continue;
            boolean has = false;
            for (Method m : c.getDeclaredMethods()) has |= m.getName().equals(method);
            assertTrue(has, "no method " + method + " in " + c.getName());
        }
    }

    @Test
    void readsTheLauncherList() throws Exception {
        // The parser above must see the whole list, not stop early: the JIT's compiler is in it.
        assertTrue(translationCode().contains("org.kasou.jit.UnitCompiler*::*"));
    }
}
