import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The training step's matmul shapes alone, ND4J inside a workspace as the engine runs them: median ms and GFLOP/s (run.sh). */
public class MatmulShapes {
    static final org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration CFG = org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder().initialSize(0)
            .policyAllocation(org.nd4j.linalg.api.memory.enums.AllocationPolicy.OVERALLOCATE)
            .policyLearning(org.nd4j.linalg.api.memory.enums.LearningPolicy.FIRST_LOOP)
            .policySpill(org.nd4j.linalg.api.memory.enums.SpillPolicy.REALLOCATE).build();
    public static void main(String[] a) {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        int[][] shapes = {{1920, 256, 1024}, {1920, 1024, 256}, {1920, 64, 192}, {1920, 64, 256}};
        for (int[] s : shapes) {
            INDArray x = Nd4j.rand(DataType.FLOAT, s[0], s[1]), w = Nd4j.rand(DataType.FLOAT, s[2], s[1]);
            double[] t = new double[21];
            for (int k = 0; k < t.length; k++) {
                long t0 = System.nanoTime();
                try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CFG, "b")) { Nd4j.matmul(x, w, false, true, false); }
                t[k] = (System.nanoTime() - t0) / 1e6;
            }
            java.util.Arrays.sort(t);
            System.out.printf("ND4J  [%d x %d] x [%d x %d]^T: %.3f ms, %.1f GFLOP/s%n", s[0], s[1], s[2], s[1], t[10], 2.0 * s[0] * s[1] * s[2] / t[10] / 1e6);
        }
        // batched attention scores [64, 4, 30, 16] x [64, 4, 30, 16]^T
        INDArray q = Nd4j.rand(DataType.FLOAT, 64, 4, 30, 16), k = Nd4j.rand(DataType.FLOAT, 64, 4, 30, 16);
        double[] t = new double[21];
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CFG, "b")) { Nd4j.matmul(q, k, false, true, false); }
            t[r] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        System.out.printf("ND4J  batched [64,4,30,16] x [64,4,16,30]: %.3f ms, %.1f GFLOP/s%n", t[10], 2.0 * 256 * 30 * 30 * 16 / t[10] / 1e6);
    }
}
