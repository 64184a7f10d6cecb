package dev.mmdgan.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes 2-D {@code .npy} arrays of float32 ({@code <f4}) or float64 ({@code <f8}) in C order.
 * Anything else (other dtypes, Fortran order, other ranks, NaN or infinite values, empty arrays, negative
 * dimensions, headers over 64 KiB, data over 2 GiB) is an {@link IllegalArgumentException} whose message names the
 * file and what was found.
 */
public final class NpyArrays {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Longest header read; numpy itself refuses headers over 10,000 bytes by default. */
    private static final int MAX_HEADER_BYTES = 1 << 16;
    /** Most data bytes: the reader maps the data as one buffer, which Java caps at 2 GiB. */
    public static final long MAX_DATA_BYTES = Integer.MAX_VALUE;
    /** Longest piece of header text quoted in a message. */
    private static final int QUOTE = 64;

    private NpyArrays() {
    }

    /** A 2-D array with one sample per row, in the file's precision. */
    public static INDArray readMatrix(Path file) {
        return read(file, true);
    }

    /** An array of any rank ≥ 1 (e.g. a network weight), in the file's precision. */
    public static INDArray readArray(Path file) {
        return read(file, false);
    }

    private static INDArray read(Path file, boolean matrix) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, channel, header(file, channel, matrix));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The [rows, columns] of a 2-D file, from its header alone (every header check of {@link #readMatrix} applies). */
    public static long[] shape(Path file) {
        return shape(file, true);
    }

    /** The shape of a file of any rank ≥ 1, from its header alone (every header check of {@link #readArray} applies). */
    public static long[] arrayShape(Path file) {
        return shape(file, false);
    }

    private static long[] shape(Path file, boolean matrix) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, channel, matrix).shape().clone();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Checks that every value of a file of any rank is finite, streaming it in 1 MiB chunks rather than loading it
     * (every header check of {@link #readArray} applies). The message of a non-finite value names its row (index
     * along the first dimension) and its column (position within the row).
     */
    public static void requireFinite(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, channel, false);
            long perRow = h.dataBytes() / h.type().width() / h.shape()[0];
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long index = 0;
            for (long pos = h.dataStart(), end = pos + h.dataBytes(); pos < end; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - pos));
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk, pos + chunk.position()) < 0) {
                        throw bad(file, "is truncated (it shrank while being read)");
                    }
                }
                chunk.flip();
                pos += chunk.limit();
                if (h.type() == DataType.FLOAT) {
                    java.nio.FloatBuffer values = chunk.asFloatBuffer();
                    for (int i = 0; i < values.limit(); i++, index++) {
                        if (!Float.isFinite(values.get(i))) {
                            throw nonFinite(file, values.get(i), index, perRow);
                        }
                    }
                } else {
                    java.nio.DoubleBuffer values = chunk.asDoubleBuffer();
                    for (int i = 0; i < values.limit(); i++, index++) {
                        if (!Double.isFinite(values.get(i))) {
                            throw nonFinite(file, values.get(i), index, perRow);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** What the header says: element type, shape, and where the data starts. */
    private record Header(DataType type, long[] shape, long dataStart, long dataBytes) {
    }

    private static Header header(Path file, FileChannel channel, boolean matrix) throws IOException {
        long size = channel.size();
        ByteBuffer preamble = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(preamble, 0);
        preamble.flip();
        byte[] magic = new byte[6];
        if (preamble.remaining() < 10) {
            throw bad(file, "is not a .npy file (" + size + " bytes, too short for a header)");
        }
        preamble.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw bad(file, "is not a .npy file (missing the \\x93NUMPY magic string)");
        }
        int major = preamble.get() & 0xff;
        preamble.get();
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = preamble.getShort() & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (preamble.remaining() < 4) {
                throw bad(file, "has a truncated header");
            }
            headerLength = preamble.getInt() & 0xffffffffL;
            headerStart = 12;
        } else {
            throw bad(file, "has .npy format version " + major + "; versions 1 to 3 are supported");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw bad(file, "has a header of " + headerLength + " bytes; at most " + MAX_HEADER_BYTES + " are supported");
        }
        if (headerStart + headerLength > size) {
            throw bad(file, "has a truncated header");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        channel.read(headerBytes, headerStart);
        String header = new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        String descr = find(file, DESCR, header, "descr");
        DataType type = switch (descr) {
            case "<f4", "=f4" -> DataType.FLOAT;
            case "<f8", "=f8" -> DataType.DOUBLE;
            default -> throw bad(file, "has dtype '" + quote(descr) + "'; only float32 ('<f4') and float64 ('<f8') are supported");
        };
        if (find(file, FORTRAN, header, "fortran_order").equals("True")) {
            throw bad(file, "is in Fortran order; save it in C order (numpy.ascontiguousarray) and try again");
        }
        long[] shape = parseShape(file, find(file, SHAPE, header, "shape"));
        if (matrix && shape.length != 2) {
            throw bad(file, "has shape " + shapeString(shape) + "; a 2-D array [samples, features] is required");
        }
        if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
            throw bad(file, "has a negative dimension in its shape " + shapeString(shape));
        }
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d == 0)) {
            throw bad(file, "is empty (shape " + shapeString(shape) + "); at least one sample with one feature is required");
        }
        long count = 1;
        for (long d : shape) {
            count = d > Integer.MAX_VALUE || count > Integer.MAX_VALUE ? Long.MAX_VALUE : count * d; // no overflow: both ≤ 2^31
        }
        if (count > Integer.MAX_VALUE) {
            throw bad(file, "has shape " + shapeString(shape) + ", more than " + Integer.MAX_VALUE + " values; at most "
                    + Integer.MAX_VALUE + " are supported");
        }
        long dataStart = headerStart + headerLength;
        long expected = count * type.width();
        if (expected > MAX_DATA_BYTES) {
            throw bad(file, "has shape " + shapeString(shape) + ", " + expected + " data bytes; at most 2 GiB ("
                    + MAX_DATA_BYTES + " bytes) are supported");
        }
        if (size - dataStart < expected) {
            throw bad(file, "is truncated: shape " + shapeString(shape) + " needs " + expected + " data bytes, found "
                    + (size - dataStart));
        }
        return new Header(type, shape, dataStart, expected);
    }

    private static INDArray read(Path file, FileChannel channel, Header h) throws IOException {
        DataType type = h.type();
        long[] shape = h.shape();
        // Copy the mapped file straight into the array's off-heap buffer, then check it in chunks.
        ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, h.dataStart(), h.dataBytes()).order(ByteOrder.LITTLE_ENDIAN);
        INDArray array = Nd4j.create(type, shape, 'c');
        array.data().asNio().order(ByteOrder.nativeOrder()).put(data);
        requireFinite(file, array, array.length() / shape[0]);
        return array;
    }

    private static void requireFinite(Path file, INDArray array, long columns) {
        ByteBuffer bytes = array.data().asNio().order(ByteOrder.nativeOrder());
        int chunk = 1 << 16;
        if (array.dataType() == DataType.FLOAT) {
            java.nio.FloatBuffer values = bytes.asFloatBuffer();
            float[] buf = new float[chunk];
            for (int start = 0; start < values.limit(); start += chunk) {
                int len = Math.min(chunk, values.limit() - start);
                values.get(start, buf, 0, len);
                for (int i = 0; i < len; i++) {
                    if (!Float.isFinite(buf[i])) {
                        throw nonFinite(file, buf[i], start + i, columns);
                    }
                }
            }
        } else {
            java.nio.DoubleBuffer values = bytes.asDoubleBuffer();
            double[] buf = new double[chunk];
            for (int start = 0; start < values.limit(); start += chunk) {
                int len = Math.min(chunk, values.limit() - start);
                values.get(start, buf, 0, len);
                for (int i = 0; i < len; i++) {
                    if (!Double.isFinite(buf[i])) {
                        throw nonFinite(file, buf[i], start + i, columns);
                    }
                }
            }
        }
    }

    /** Writes a float32 or float64 array of any rank ≥ 1 in C order (format 1.0); other types as float64. */
    public static void write(Path file, INDArray array) {
        if (array.rank() < 1) {
            throw new IllegalArgumentException("scalars are not written, got shape " + Arrays.toString(array.shape()));
        }
        boolean isFloat = array.dataType() == DataType.FLOAT;
        INDArray c = (isFloat ? array : array.castTo(DataType.DOUBLE)).dup('c');
        long[] shape = c.shape();
        String dims = shape.length == 1 ? shape[0] + "," : String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList());
        String dict = "{'descr': '" + (isFloat ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer data = ByteBuffer.allocate((int) (c.length() * (isFloat ? 4 : 8))).order(ByteOrder.LITTLE_ENDIAN);
        if (isFloat) {
            data.asFloatBuffer().put(c.data().asFloat());
        } else {
            data.asDoubleBuffer().put(c.data().asDouble());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >> 8)});
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data.array());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    private static String find(Path file, Pattern pattern, String header, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw bad(file, "has a header without a readable '" + key + "' entry");
        }
        return m.group(1);
    }

    private static long[] parseShape(Path file, String text) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw bad(file, "has a header with an unreadable shape (" + quote(text) + ")");
        }
    }

    /** Header text as quoted in messages: at most {@value #QUOTE} characters. */
    private static String quote(String text) {
        return text.length() <= QUOTE ? text : text.substring(0, QUOTE) + "…";
    }

    private static String shapeString(long[] shape) {
        return "(" + String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList()) + ")";
    }

    private static IllegalArgumentException nonFinite(Path file, double value, long index, long columns) {
        return bad(file, "contains " + value + " at row " + index / columns + ", column " + index % columns
                + "; all values must be finite");
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + " " + what);
    }
}
