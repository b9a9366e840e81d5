package io.rewardannotator.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rewardannotator.text.PaddedBatch;
import io.rewardannotator.text.PromptKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
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
    private static final Set<String> OUTPUTS = Set.of(ModelContract.SCORE, ModelContract.REWARD_QUANTILES,
            ModelContract.REWARDS, ModelContract.GATING_OUTPUT);
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Device device;
    private final int numQuantiles;
    private final int numAttributes;
    private final PastLayout past;
    private final PromptCache prompts;
    /** Runs share it; close takes it exclusively. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxRewardModel(OrtEnvironment environment, OrtSession session, Device device, int numQuantiles,
                            int numAttributes, PastLayout past, long promptCacheBytes) {
        this.environment = environment;
        this.past = past;
        this.prompts = new PromptCache(promptCacheBytes);
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
            PastLayout past;
            try {
                past = ModelContract.check(modelFile, session, bundle.numQuantiles(), bundle.numAttributes());
            } catch (OrtException | RuntimeException e) {
                closeQuietly(session);
                throw e instanceof BundleException be ? be
                        : new BundleException(modelFile + ": cannot read the graph's inputs and outputs", e);
            }
            if (past != null) {
                LOG.info("the graph takes past keys and values ({} layers): rows that share a prompt of at least {} "
                        + "tokens compute it once", past.pastNames().size() / 2, SharedPrompts.MIN_PROMPT_TOKENS);
            }
            return new OnnxRewardModel(env, session, settings.device(), bundle.numQuantiles(),
                    bundle.numAttributes(), past, settings.promptCacheBytes());
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

    /**
     * With past inputs, rows that share a prompt (SharedPrompts) run as the prompt once, then the rest of each row
     * with the prompt's keys and values as its past; the other rows run as one batch with an empty past.
     */
    private RawRewards runOpen(PaddedBatch batch) throws OrtException {
        if (past == null) {
            return runRows(batch, Map.of());
        }
        SharedPrompts plan = SharedPrompts.of(batch, SharedPrompts.MIN_PROMPT_TOKENS, prompts::known);
        if (plan.groups().isEmpty()) {
            return runWithEmptyPast(batch);
        }
        RawRewards.Assembly out = new RawRewards.Assembly(batch.batchSize(), numQuantiles, numAttributes);
        if (plan.alone().length > 0) {
            out.put(plan.alone(), runWithEmptyPast(batch.select(plan.alone())), 0);
        }
        for (SharedPrompts.Group group : plan.groups()) {
            Prompt prompt = prompt(batch, group);
            Map<String, OnnxTensor> promptPast = repeated(prompt.presents(), group.rows().length);
            try {
                out.put(group.rows(), runRows(batch.after(group.rows(), group.promptLength()), promptPast),
                        group.savedTokens() + (prompt.cached() ? group.promptLength() : 0));
            } finally {
                promptPast.values().forEach(OnnxTensor::close);
            }
        }
        return out.build();
    }

    private RawRewards runWithEmptyPast(PaddedBatch batch) throws OrtException {
        Map<String, OnnxTensor> empty = emptyPast(batch.batchSize());
        try {
            return runRows(batch, empty);
        } finally {
            empty.values().forEach(OnnxTensor::close);
        }
    }

    private Map<String, OnnxTensor> emptyPast(int batchSize) throws OrtException {
        Map<String, OnnxTensor> empty = new HashMap<>();
        for (String name : past.pastNames()) {
            empty.put(name, OnnxTensor.createTensor(environment, ByteBuffer.allocateDirect(0),
                    past.shape(batchSize, 0), past.type()));
        }
        return empty;
    }

    /** A prompt's keys and values, one copy per past input; {@code cached}: taken from the cache, not run. */
    private record Prompt(List<ByteBuffer> presents, boolean cached) {
    }

    /** The group's prompt: from the cache, or run and cached. */
    private Prompt prompt(PaddedBatch batch, SharedPrompts.Group group) throws OrtException {
        int first = group.rows()[0];
        PromptKey key = PromptKey.of(batch.row(first), group.promptLength());
        List<ByteBuffer> cached = prompts.get(key);
        if (cached != null) {
            return new Prompt(cached, true);
        }
        Map<String, OnnxTensor> inputs = emptyPast(1);
        try {
            addInputs(batch.prompt(first, group.promptLength()), inputs);
            try (OrtSession.Result result = session.run(inputs, new HashSet<>(past.presentNames()))) {
                List<ByteBuffer> presents = new ArrayList<>();
                for (String name : past.presentNames()) {
                    presents.add(((OnnxTensor) result.get(name).orElseThrow()).getByteBuffer());
                }
                prompts.put(key, presents);
                return new Prompt(presents, false);
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Each of {@code presents} repeated for {@code copies} rows, as the past inputs of their batch. */
    private Map<String, OnnxTensor> repeated(List<ByteBuffer> presents, int copies) throws OrtException {
        Map<String, OnnxTensor> out = new HashMap<>();
        try {
            for (int i = 0; i < presents.size(); i++) {
                ByteBuffer one = presents.get(i);
                ByteBuffer all = ByteBuffer.allocateDirect(one.remaining() * copies).order(ByteOrder.nativeOrder());
                for (int c = 0; c < copies; c++) {
                    all.put(one.duplicate());
                }
                all.flip();
                long positions = one.remaining() / (past.kvHeads() * past.headDim() * past.type().size);
                out.put(past.pastNames().get(i), OnnxTensor.createTensor(environment, all,
                        past.shape(copies, positions), past.type()));
            }
            return out;
        } catch (OrtException | RuntimeException e) {
            out.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    /** The four inputs of {@code batch} and the given past (closed by the caller). */
    private RawRewards runRows(PaddedBatch batch, Map<String, OnnxTensor> pastInputs) throws OrtException {
        int b = batch.batchSize();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            addInputs(batch, inputs);
            Map<String, OnnxTensor> all = new HashMap<>(inputs);
            all.putAll(pastInputs);
            try (OrtSession.Result result = session.run(all, OUTPUTS)) {
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

    private void addInputs(PaddedBatch batch, Map<String, OnnxTensor> inputs) throws OrtException {
        int b = batch.batchSize();
        long[] vectorShape = {b};
        inputs.put(ModelContract.INPUT_IDS, tensor(batch.inputIds(), new long[] {b, batch.paddedLength()}));
        inputs.put(ModelContract.ATTENTION_MASK, tensor(batch.attentionMask(),
                new long[] {b, batch.pastLength() + batch.paddedLength()}));
        inputs.put(ModelContract.LAST_TOKEN_INDEX, tensor(batch.lastIndex(), vectorShape));
        inputs.put(ModelContract.GATING_TOKEN_INDEX, tensor(batch.gatingIndex(), vectorShape));
    }

    private OnnxTensor tensor(long[] data, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(data), shape);
    }

    /**
     * Announces that several rows with this prompt will run, perhaps in separate batches: the first batch that
     * holds one runs the prompt apart and caches its keys and values for the others.
     */
    public void expectSharedPrompt(PromptKey prompt) {
        prompts.expect(prompt);
    }

    /**
     * The fewest ids before the gating token that rows of one batch must share for the prompt to be computed once;
     * empty when the graph has no past inputs.
     */
    public OptionalInt sharedPromptMinimum() {
        return past == null ? OptionalInt.empty() : OptionalInt.of(SharedPrompts.MIN_PROMPT_TOKENS);
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
