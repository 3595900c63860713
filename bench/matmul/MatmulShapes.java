import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The training step's matmul shapes alone, ND4J inside a workspace as the engine runs them: median ms and GFLOP/s (run.sh). */
public class MatmulShapes {
    static final WorkspaceConfiguration CFG = WorkspaceConfiguration.builder().initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE).build();

    /** Median ms of 21 runs of a x b^T (batched over leading dimensions), each in the workspace. */
    static double medianMs(INDArray a, INDArray b) {
        double[] t = new double[21];
        for (int k = 0; k < t.length; k++) {
            long t0 = System.nanoTime();
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CFG, "b")) { Nd4j.matmul(a, b, false, true, false); }
            t[k] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[10];
    }

    /** The same product as one cblas_sgemm on the arrays' buffers (row-major, b transposed): no ND4J op around it. */
    static double directMs(INDArray a, INDArray b) {
        int m = (int) a.size(0), k = (int) a.size(1), n = (int) b.size(0);
        double[] t = new double[21];
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CFG, "b")) {
                INDArray c = Nd4j.createUninitialized(DataType.FLOAT, m, n);
                org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm(101, 111, 112, m, n, k, 1f,
                        (org.bytedeco.javacpp.FloatPointer) a.data().addressPointer(), k,
                        (org.bytedeco.javacpp.FloatPointer) b.data().addressPointer(), k, 0f,
                        (org.bytedeco.javacpp.FloatPointer) c.data().addressPointer(), n);
            }
            t[r] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[10];
    }

    public static void main(String[] args) {
        int threads = Integer.getInteger("threads", 1);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        int[][] shapes = {{1920, 256, 1024}, {1920, 1024, 256}, {1920, 64, 192}, {1920, 64, 256}};
        for (int[] s : shapes) {
            double ms = medianMs(Nd4j.rand(DataType.FLOAT, s[0], s[1]), Nd4j.rand(DataType.FLOAT, s[2], s[1]));
            System.out.printf("ND4J  [%d x %d] x [%d x %d]^T: %.3f ms, %.1f GFLOP/s%n", s[0], s[1], s[2], s[1], ms, 2.0 * s[0] * s[1] * s[2] / ms / 1e6);
            ms = directMs(Nd4j.rand(DataType.FLOAT, s[0], s[1]), Nd4j.rand(DataType.FLOAT, s[2], s[1]));
            System.out.printf("sgemm [%d x %d] x [%d x %d]^T: %.3f ms, %.1f GFLOP/s%n", s[0], s[1], s[2], s[1], ms, 2.0 * s[0] * s[1] * s[2] / ms / 1e6);
        }
        // batched attention scores [64, 4, 30, 16] x [64, 4, 30, 16]^T
        double ms = medianMs(Nd4j.rand(DataType.FLOAT, 64, 4, 30, 16), Nd4j.rand(DataType.FLOAT, 64, 4, 30, 16));
        System.out.printf("ND4J  batched [64,4,30,16] x [64,4,16,30]: %.3f ms, %.1f GFLOP/s%n", ms, 2.0 * 256 * 30 * 30 * 16 / ms / 1e6);
    }
}
