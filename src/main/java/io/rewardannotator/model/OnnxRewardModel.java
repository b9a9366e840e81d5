package io.rewardannotator.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rewardannotator.text.PaddedBatch;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reward model's ONNX Runtime session. {@link #run} is thread-safe (ONNX Runtime allows concurrent runs
 * on one session); the scoring service calls it from its own worker threads. {@link #close()} is idempotent and
 * waits for runs in progress: freeing the native session under a running {@code session.run} would be a
 * use-after-free in native code (a crash of the JVM, not an exception).
 */
public final class OnnxRewardModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRewardModel.class);
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Device device;
    private final int numQuantiles;
    private final int numAttributes;
    /** Runs share it; close takes it exclusively. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxRewardModel(OrtEnvironment environment, OrtSession session, Device device, int numQuantiles,
                            int numAttributes) {
        this.environment = environment;
        this.session = session;
        this.device = device;
        this.numQuantiles = numQuantiles;
        this.numAttributes = numAttributes;
    }

    /**
     * Opens the bundle's graph on the configured device and checks its inputs and outputs.
     *
     * @throws DeviceUnavailableException when the device's execution provider cannot be loaded
     * @throws BundleException            when the graph does not load or does not match the contract
     */
    public static OnnxRewardModel open(ModelBundle bundle, SessionSettings settings) {
        return LargeStack.call(() -> openHere(bundle, settings), "opening " + bundle.modelFile().getFileName());
    }

    private static OnnxRewardModel openHere(ModelBundle bundle, SessionSettings settings) {
        long started = System.nanoTime();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String modelFile = bundle.modelFile().toString();
        LOG.info("ONNX Runtime {} loaded in {} ms; creating the session for {} on {} ({} concurrent run(s), {} "
                        + "intra-op thread(s) each)", env.getVersion(), elapsedMillis(started), modelFile,
                settings.device(), settings.resolvedConcurrentRuns(), settings.resolvedIntraOpThreads());
        try (OrtSession.SessionOptions options = sessionOptions(settings)) {
            OrtSession session;
            try {
                session = env.createSession(modelFile, options);
            } catch (OrtException e) {
                throw new BundleException(modelFile + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
            }
            LOG.info("session ready {} ms after start", elapsedMillis(started));
            try {
                ModelContract.check(modelFile, session, bundle.numQuantiles(), bundle.numAttributes());
            } catch (OrtException | RuntimeException e) {
                closeQuietly(session);
                throw e instanceof BundleException be ? be
                        : new BundleException(modelFile + ": cannot read the graph's inputs and outputs", e);
            }
            return new OnnxRewardModel(env, session, settings.device(), bundle.numQuantiles(),
                    bundle.numAttributes());
        } catch (OrtException e) {
            throw new BundleException(modelFile + ": cannot configure the ONNX Runtime session: " + e.getMessage(), e);
        }
    }

    private static OrtSession.SessionOptions sessionOptions(SessionSettings settings) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(settings.resolvedIntraOpThreads());
            options.setInterOpNumThreads(settings.resolvedInterOpThreads());
            // threads that spin between operators take cores from the other runs and from the rest of the host
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            if (settings.device().kind() == Device.Kind.CUDA) {
                addCuda(options, settings.device());
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static void addCuda(OrtSession.SessionOptions options, Device device) {
        try {
            options.addCUDA(device.index());
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            throw new DeviceUnavailableException("device " + device + " is not available: " + e.getMessage()
                    + ". The CUDA provider needs the GPU build (Maven profile -Pgpu, the GPU container image) and "
                    + "CUDA 12 + cuDNN 9 on the machine; use --device cpu otherwise", e);
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Runs one padded batch. */
    public RawRewards run(PaddedBatch batch) throws OrtException {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model session is closed");
            }
            return runOpen(batch);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private RawRewards runOpen(PaddedBatch batch) throws OrtException {
        int b = batch.batchSize();
        long[] matrixShape = {b, batch.paddedLength()};
        long[] vectorShape = {b};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(ModelContract.INPUT_IDS, tensor(batch.inputIds(), matrixShape));
            inputs.put(ModelContract.ATTENTION_MASK, tensor(batch.attentionMask(), matrixShape));
            inputs.put(ModelContract.LAST_TOKEN_INDEX, tensor(batch.lastIndex(), vectorShape));
            inputs.put(ModelContract.GATING_TOKEN_INDEX, tensor(batch.gatingIndex(), vectorShape));
            try (OrtSession.Result result = session.run(inputs)) {
                return new RawRewards(b, numQuantiles, numAttributes,
                        floats(result, ModelContract.SCORE, b),
                        floats(result, ModelContract.REWARD_QUANTILES, b * numQuantiles),
                        floats(result, ModelContract.REWARDS, b * numAttributes),
                        floats(result, ModelContract.GATING_OUTPUT, b * numAttributes));
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(long[] data, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(data), shape);
    }

    private static float[] floats(OrtSession.Result result, String name, int expected) {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        float[] out = new float[expected];
        ((OnnxTensor) value).getFloatBuffer().get(out);
        return out;
    }

    public Device device() {
        return device;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(session);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing useful to do: the native session is gone either way
        }
    }
}
