package org.goctopus.config;

import jakarta.servlet.ServletContext;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads, when the application starts, every class of the application (WEB-INF/classes)
 * and every class they name, through the application's class loader. Payara Micro,
 * stopped by SIGTERM, stops that loader before it calls contextDestroyed: a class the
 * stop path needs for the first time (the close code of the 1001, say) then fails with
 * NoClassDefFoundError, and the sockets were cut without their 1001. A class once
 * loaded through the loader stays resolvable by it, whatever the container does next.
 *
 * <p>The names come from each class file's constant pool (its CONSTANT_Class entries:
 * the classes its code refers to); a class that does not load (an optional one) is left
 * out, as it would fail on the stop path too.
 */
final class StopPathClasses {

    private static final String ROOT = "/WEB-INF/classes/";

    private StopPathClasses() {
    }

    /** Loads them; returns how many names were loaded (none where the container serves no WEB-INF/classes). */
    static int load(ServletContext context) {
        ClassLoader loader = StopPathClasses.class.getClassLoader();
        Set<String> names = new TreeSet<>();
        Deque<String> folders = new ArrayDeque<>();
        folders.add(ROOT);
        while (!folders.isEmpty()) {
            Set<String> paths = context.getResourcePaths(folders.poll());
            if (paths == null) {
                continue;
            }
            for (String path : paths) {
                if (path.endsWith("/")) {
                    folders.add(path);
                } else if (path.endsWith(".class")) {
                    names.add(path.substring(ROOT.length(), path.length() - ".class".length()));
                    try (InputStream in = context.getResourceAsStream(path)) {
                        namedClasses(in, names);
                    } catch (IOException | RuntimeException e) {
                        // unreadable: its own name is loaded, its references are left
                    }
                }
            }
        }
        int loaded = 0;
        for (String name : names) {
            try {
                Class.forName(name.replace('/', '.'), false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // optional, or not on this container: the stop path does not reach it either
            }
        }
        return loaded;
    }

    /** Adds the classes a class file's constant pool names (arrays by their element class). */
    private static void namedClasses(InputStream in, Set<String> names) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != 0xCAFEBABE) {
            return;
        }
        data.readUnsignedShort(); // minor version
        data.readUnsignedShort(); // major version
        int count = data.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndexes = new int[count];
        int classes = 0;
        for (int i = 1; i < count; i++) {
            int tag = data.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = data.readUTF();
                case 7 -> classNameIndexes[classes++] = data.readUnsignedShort();
                case 8, 16, 19, 20 -> data.readUnsignedShort();
                case 15 -> data.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> data.readInt();
                case 5, 6 -> {
                    data.readLong();
                    i++; // a long or a double takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        for (int c = 0; c < classes; c++) {
            String name = utf8[classNameIndexes[c]];
            if (name == null) {
                continue;
            }
            String element = name.replaceFirst("^\\[+", "");
            if (element.startsWith("L") && element.endsWith(";")) {
                names.add(element.substring(1, element.length() - 1));
            } else if (element.equals(name)) {
                names.add(name);
            } // else an array of a primitive type
        }
    }
}
