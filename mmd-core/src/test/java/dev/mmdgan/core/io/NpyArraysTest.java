package dev.mmdgan.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyArraysTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsFloat32AndFloat64() {
        INDArray f = Nd4j.createFromArray(new float[][] {{1.5f, -2}, {3, 4.25f}, {0, 1e-7f}});
        INDArray d = Nd4j.createFromArray(new double[][] {{Math.PI, -1e300}, {2, 3}});
        NpyArrays.write(dir.resolve("f.npy"), f);
        NpyArrays.write(dir.resolve("d.npy"), d);
        INDArray f2 = NpyArrays.readMatrix(dir.resolve("f.npy"));
        INDArray d2 = NpyArrays.readMatrix(dir.resolve("d.npy"));
        assertThat(f2.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(f2).isEqualTo(f);
        assertThat(d2.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(d2).isEqualTo(d);
    }

    @Test
    void readsANumpyWrittenHeader() throws IOException {
        // Exactly what numpy 1.x/2.x writes for np.save('a.npy', np.array([[1., 2.]], dtype='<f8')).
        write("numpy.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", 16, 1.0, 2.0);
        assertThat(NpyArrays.readMatrix(dir.resolve("numpy.npy")).toDoubleMatrix()).isEqualTo(new double[][] {{1, 2}});
    }

    @Test
    void rejectsWhatItCannotUseWithTheFileNameAndTheReason() throws IOException {
        write("int.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", 16, 0, 0);
        write("fortran.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (1, 2), }", 16, 1, 2);
        write("rank3.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 2), }", 16, 1, 2);
        write("rank1.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16, 1, 2);
        write("empty.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", 16);
        write("nan.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", 16, 1, Double.NaN);
        write("inf.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", 16, Double.POSITIVE_INFINITY, 1);
        write("short.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", 16, 1, 2);
        Files.writeString(dir.resolve("text.npy"), "hello, world");

        assertError("int.npy", "has dtype '<i8'; only float32 ('<f4') and float64 ('<f8') are supported");
        assertError("fortran.npy", "is in Fortran order");
        assertError("rank3.npy", "has shape (1, 1, 2); a 2-D array [samples, features] is required");
        assertError("rank1.npy", "has shape (2); a 2-D array");
        assertError("empty.npy", "is empty (shape (0, 5))");
        assertError("nan.npy", "contains NaN at row 0, column 1; all values must be finite");
        assertError("inf.npy", "contains Infinity at row 0, column 0");
        assertError("short.npy", "is truncated");
        assertError("text.npy", "is not a .npy file");
        assertError("missing.npy", "no such file");
    }

    private void assertError(String name, String message) {
        assertThatThrownBy(() -> NpyArrays.readMatrix(dir.resolve(name)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(dir.resolve(name).toString())
                .hasMessageContaining(message);
    }

    private void write(String name, String dict, int unused, double... values) throws IOException {
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double v : values) {
            b.putDouble(v);
        }
        Files.write(dir.resolve(name), b.array());
    }
}
