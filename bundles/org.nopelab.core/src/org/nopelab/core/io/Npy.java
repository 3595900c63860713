package org.nopelab.core.io;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nopelab.core.model.Tensor;
import org.nopelab.nd4j.Nd4jContext;

/** NumPy .npy files through ND4J's own reader and writer (numpy.load / numpy.save compatible). */
public final class Npy {
    private Npy() {}

    public static void write(Path file, Tensor t) throws IOException {
        IOException[] failure = new IOException[1];
        Nd4jContext.run(() -> {
            try {
                Nd4j.writeAsNumpy(Nd4j.create(t.data(), t.shape(), DataType.FLOAT), file.toFile());
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) throw failure[0];
    }

    /** Any .npy array as a float32 tensor of its shape (to read back what {@link #write} wrote). */
    public static Tensor read(Path file) {
        return Nd4jContext.call(() -> {
            INDArray a = Nd4j.createFromNpyFile(new File(file.toString())).castTo(DataType.FLOAT);
            return new Tensor(a.shape(), a.dup('c').data().asFloat());
        });
    }

    /** A 2-d integer array of token ids [sequences, positions]. */
    public static int[][] readTokens(Path file) {
        return Nd4jContext.call(() -> {
            INDArray a;
            try {
                a = Nd4j.createFromNpyFile(new File(file.toString()));
            } catch (RuntimeException e) { // ND4J's reader fails with whatever it met: say what the file is not
                throw new IllegalArgumentException(file + " is not a .npy array of token ids (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + ")");
            }
            if (a.dataType().isFPType() || a.dataType() == DataType.BOOL) throw new IllegalArgumentException(file + ": token ids must be integers, found " + a.dataType());
            if (a.rank() != 2) throw new IllegalArgumentException(file + ": token ids must be 2-d [sequences, positions], found shape " + java.util.Arrays.toString(a.shape()));
            return a.toIntMatrix();
        });
    }
}
