package org.grpo4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.optim.OptimizerState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The content of a trainer checkpoint (docs/formats.md, "Trainer checkpoints"), checked in full against the trainer
 * that restores it before anything is assigned. {@link #check} reads nothing but the archive and the trainer's
 * config and parameters and changes nothing, so a checkpoint that fails leaves the trainer as it was.
 *
 * @param step           the completed steps to resume after
 * @param policy         the policy's values, one per {@code Policy.parameters()} entry, in that order
 * @param reference      the reference's values in the same way, or null for a trainer without a reference
 * @param optimizerState the optimiser's update count and moments, in parameter order
 * @param threads        the writer's compute thread count as recorded, or null for a checkpoint without it
 */
record CheckpointContent(int step, List<INDArray> policy, List<INDArray> reference, OptimizerState optimizerState,
                         String threads) {
    static final String FORMAT = "format";
    static final String VERSION = "version";
    static final String STEP = "step";
    static final String SEED = "seed";
    static final String CONFIG = "config";
    static final String OPTIMIZER_STEP = "optimizer.step";
    /** The writer's {@link ComputeThreads#current()}; absent in checkpoints written before it was recorded. */
    static final String THREADS = "threads";
    static final String POLICY = "policy/";
    static final String REFERENCE = "reference/";
    static final String FIRST_MOMENTS = "optimizer/m/";
    static final String SECOND_MOMENTS = "optimizer/v/";

    /** The config fields a resumed run may change: where and how often it checkpoints, and where it stops. */
    static final List<String> RESUMABLE_CHANGES = List.of("steps", "checkpointEvery", "checkpointDir");

    /**
     * Checks a checkpoint against the trainer that is to restore it.
     *
     * @param archive   the checkpoint's content
     * @param file      the file it came from, for the messages
     * @param config    the trainer's config
     * @param policy    the trainer's policy
     * @param reference the trainer's reference, or null
     * @return the values to assign
     * @throws IllegalArgumentException naming the file and the offending key, tensor or value: the format or
     *                                  version is not this trainer's, a required metadata key is missing or does
     *                                  not parse, the seed or the config differ from the trainer's (beyond
     *                                  {@link #RESUMABLE_CHANGES}), a tensor is missing or has another shape or
     *                                  data type, a tensor has no parameter to go to, or the optimiser moments are
     *                                  incomplete
     */
    static CheckpointContent check(TensorArchive archive, Path file, TrainerConfig config, Policy policy,
                                   Policy reference) {
        Map<String, String> meta = archive.metadata();
        String format = meta.get(FORMAT);
        if (format == null) {
            throw new IllegalArgumentException(file + " is not a grpo4j checkpoint: it has no '" + FORMAT
                    + "' metadata key");
        }
        if (!GrpoTrainer.CHECKPOINT_FORMAT.equals(format)) {
            throw new IllegalArgumentException(file + " is not a grpo4j checkpoint (format " + format + ")");
        }
        String version = required(meta, VERSION, file);
        if (!Integer.toString(GrpoTrainer.CHECKPOINT_VERSION).equals(version)) {
            throw new IllegalArgumentException("checkpoint version must be " + GrpoTrainer.CHECKPOINT_VERSION
                    + ", was " + version + " in " + file);
        }
        int step = (int) parseLong(meta, STEP, 0, Integer.MAX_VALUE, file);
        long optimizerStep = parseLong(meta, OPTIMIZER_STEP, 0, Long.MAX_VALUE, file);
        long seed = parseLong(meta, SEED, Long.MIN_VALUE, Long.MAX_VALUE, file);
        if (seed != config.seed()) {
            throw new IllegalArgumentException("checkpoint " + file + " was written by a run with seed " + seed
                    + ", but this trainer's seed is " + config.seed() + "; resuming would not continue that run "
                    + "(build the trainer with seed " + seed + ")");
        }
        checkConfig(required(meta, CONFIG, file), config, file);

        Map<String, INDArray> tensors = archive.tensors();
        Set<String> expected = new LinkedHashSet<>();
        List<INDArray> policyValues = values(policy, POLICY, tensors, file, expected);
        List<INDArray> referenceValues = reference == null ? null
                : values(reference, REFERENCE, tensors, file, expected);
        boolean hasMoments = tensors.keySet().stream()
                .anyMatch(k -> k.startsWith(FIRST_MOMENTS) || k.startsWith(SECOND_MOMENTS));
        Map<String, INDArray> first = new LinkedHashMap<>();
        Map<String, INDArray> second = new LinkedHashMap<>();
        if (hasMoments) {
            List<INDArray> m = values(policy, FIRST_MOMENTS, tensors, file, expected);
            List<INDArray> v = values(policy, SECOND_MOMENTS, tensors, file, expected);
            List<Parameter> ps = policy.parameters();
            for (int i = 0; i < ps.size(); i++) {
                first.put(ps.get(i).name(), m.get(i));
                second.put(ps.get(i).name(), v.get(i));
            }
        } else if (optimizerStep > 0) {
            throw new IllegalArgumentException("checkpoint " + file + " has " + OPTIMIZER_STEP + " = "
                    + optimizerStep + " but no optimiser moments (" + FIRST_MOMENTS + "…, " + SECOND_MOMENTS
                    + "…)");
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!expected.contains(name)) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds tensors that match no parameter of "
                    + "this trainer" + (reference == null ? " (which has no reference, as grpo.beta is 0)" : "")
                    + ": " + unexpected);
        }
        OptimizerState state;
        try {
            state = new OptimizerState(optimizerStep, first, second);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": invalid optimiser state: " + e.getMessage(),
                    e);
        }
        return new CheckpointContent(step, policyValues, referenceValues, state, meta.get(THREADS));
    }

    /**
     * The fields of a {@code TrainerConfig.toString()} text by dotted path: {@code grpo.beta → 0.1},
     * {@code optimizer.schedule → WarmupCosineSchedule}, {@code optimizer.schedule.warmupSteps → 10}, …,
     * {@code checkpointDir → runs/ckpt} (taken whole, as a path may hold any character), {@code seed → 42}.
     *
     * @param text the text
     * @return the fields in the text's order
     * @throws IllegalArgumentException if the text is not of that form
     */
    static Map<String, String> configFields(String text) {
        String head = "TrainerConfig[";
        String dirKey = ", checkpointDir=";
        String seedKey = ", seed=";
        if (!text.startsWith(head) || !text.endsWith("]")) {
            throw new IllegalArgumentException("not a TrainerConfig text");
        }
        String body = text.substring(head.length(), text.length() - 1);
        int dir = body.indexOf(dirKey);                  // the first: no nested record has a checkpointDir
        int seed = body.lastIndexOf(seedKey);            // the last: seed is the final field
        if (dir < 0 || seed < dir) {
            throw new IllegalArgumentException("no checkpointDir and seed fields at its end");
        }
        Map<String, String> out = new LinkedHashMap<>();
        fields(body.substring(0, dir), "", out);
        out.put("checkpointDir", body.substring(dir + dirKey.length(), seed));
        fields(body.substring(seed + 2), "", out);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void checkConfig(String saved, TrainerConfig config, Path file) {
        Map<String, String> theirs;
        try {
            theirs = configFields(saved);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": metadata '" + CONFIG + "' cannot be "
                    + "compared with this trainer's config (" + e.getMessage() + "), was '" + saved + "'", e);
        }
        Map<String, String> ours = configFields(config.toString());
        // GrpoConfig writes the fields added since checkpoints first existed only when they differ from their
        // defaults, so a field absent from one side is at its default there: a checkpoint written before a field
        // existed restores exactly when this trainer keeps that default
        Set<String> names = new LinkedHashSet<>(ours.keySet());
        names.addAll(theirs.keySet());
        List<String> differences = new ArrayList<>();
        for (String name : names) {
            String a = theirs.get(name);
            String b = ours.get(name);
            if (!RESUMABLE_CHANGES.contains(name) && !Objects.equals(a, b)) {
                differences.add(name + " (checkpoint " + (a == null ? "absent" : a) + ", this trainer "
                        + (b == null ? "absent" : b) + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + file + " was written with another config; it "
                    + "differs in " + String.join(", ", differences) + "; a resumed run may change only "
                    + String.join(", ", RESUMABLE_CHANGES));
        }
    }

    /** Splits {@code a=1, b=R[c=2, d=3]} at top-level commas and recurses into record values. */
    private static void fields(String text, String prefix, Map<String, String> out) {
        if (text.isEmpty()) {
            return;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean end = i == text.length();
            char ch = end ? ',' : text.charAt(i);
            if (ch == '[') {
                depth++;
            } else if (ch == ']') {
                if (--depth < 0) {
                    throw new IllegalArgumentException("unbalanced ']'");
                }
            } else if (ch == ',' && depth == 0 && (end || text.startsWith(", ", i))) {
                field(text.substring(start, i), prefix, out);
                start = i + 2;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced '['");
        }
    }

    private static void field(String item, String prefix, Map<String, String> out) {
        int eq = item.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + item + "' is not name=value");
        }
        String name = prefix + item.substring(0, eq);
        String value = item.substring(eq + 1);
        int open = value.indexOf('[');
        boolean record = open > 0 && value.endsWith("]")
                && value.substring(0, open).chars().allMatch(Character::isJavaIdentifierPart);
        if (record) {
            out.put(name, value.substring(0, open));                              // the record's type
            fields(value.substring(open + 1, value.length() - 1), name + ".", out);
        } else {
            out.put(name, value);
        }
    }

    private static String required(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint " + file + ": metadata key '" + key + "' is missing");
        }
        return v;
    }

    /** The value of {@code key} as a long in {@code [min, max]}. */
    private static long parseLong(Map<String, String> meta, String key, long min, long max, Path file) {
        String v = required(meta, key, file);
        String range = min == Long.MIN_VALUE ? "an integer" : max == Long.MAX_VALUE ? "an integer ≥ " + min
                : "an integer in [" + min + ", " + max + "]";
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": metadata '" + key + "' must be " + range
                    + ", was '" + v + "'", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("checkpoint " + file + ": metadata '" + key + "' must be " + range
                    + ", was '" + v + "'");
        }
        return n;
    }

    /** The tensors {@code prefix + name} of the target's parameters, each of its parameter's shape and type. */
    private static List<INDArray> values(Policy target, String prefix, Map<String, INDArray> tensors, Path file,
                                         Set<String> expected) {
        List<INDArray> out = new ArrayList<>();
        for (Parameter p : target.parameters()) {
            String name = prefix + p.name();
            expected.add(name);
            INDArray v = tensors.get(name);
            if (v == null) {
                throw new IllegalArgumentException("checkpoint " + file + " has no tensor " + name);
            }
            INDArray own = p.value();
            if (!Arrays.equals(v.shape(), own.shape()) || v.dataType() != own.dataType()) {
                throw new IllegalArgumentException("checkpoint tensor " + name + " in " + file + " is "
                        + v.dataType() + Arrays.toString(v.shape()) + ", the parameter is " + own.dataType()
                        + Arrays.toString(own.shape()));
            }
            out.add(v);
        }
        return out;
    }
}
