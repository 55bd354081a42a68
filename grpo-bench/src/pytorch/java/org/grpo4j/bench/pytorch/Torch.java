package org.grpo4j.bench.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DJL's PyTorch engine, offline, with its cache under {@code target/djl}, single-threaded like the grpo4j side
 * (both are run with {@code OMP_NUM_THREADS=1}).
 */
public final class Torch {
    /** The JVM options every peer benchmark's fork is given. */
    public static final String OFFLINE = "-Dai.djl.offline=true";
    /** DJL's cache, relative to the working directory. */
    public static final String CACHE = "-DDJL_CACHE_DIR=target/djl";
    /** Where DJL unpacks the PyTorch natives. */
    public static final String ENGINE_CACHE = "-DENGINE_CACHE_DIR=target/djl";
    /** One intra-op thread. */
    public static final String ONE_THREAD = "-Dai.djl.pytorch.num_threads=1";
    /** One inter-op thread. */
    public static final String ONE_INTEROP_THREAD = "-Dai.djl.pytorch.num_interop_threads=1";

    private Torch() {
    }

    /**
     * The PyTorch engine, setting the offline and cache properties first where the JVM was started without them.
     *
     * @return the engine
     */
    public static Engine engine() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_CACHE_DIR", "target/djl");
        setIfAbsent("ENGINE_CACHE_DIR", "target/djl");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        return Engine.getEngine("PyTorch");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * A float32 copy of an ND4J array.
     *
     * @param manager owns the copy
     * @param a       any floating array
     * @return the same shape and values
     */
    public static NDArray copy(NDManager manager, INDArray a) {
        return manager.create(a.castTo(DataType.FLOAT).dup('c').data().asFloat(), new Shape(a.shape()));
    }
}
