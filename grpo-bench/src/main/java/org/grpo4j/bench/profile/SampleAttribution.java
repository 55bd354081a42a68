package org.grpo4j.bench.profile;

import java.util.List;

/**
 * Where one sample's time goes: the category (an ND4J matrix product, another ND4J native call named by its native
 * method, or plain Java named by the grpo4j method that runs it) and the grpo4j source line that led there.
 *
 * @param category the row of the category table, e.g. {@code ND4J matrix product}, {@code ND4J execTransformAny},
 *                 {@code Java JavaDecoder.attend}
 * @param site     the first grpo4j frame from the top, {@code Class.method:line}, or {@code (outside grpo4j)}
 * @param callee   the frame just above {@code site} (the ND4J or JDK method grpo4j called), or the site itself
 */
public record SampleAttribution(String category, String site, String callee) {
    private static final String GRPO4J = "org.grpo4j.";

    /**
     * Attributes a sample.
     *
     * @param frames the stack, top frame first; not empty
     * @return its attribution
     * @throws IllegalArgumentException if {@code frames} is empty
     */
    public static SampleAttribution of(List<Frame> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("frames must not be empty");
        }
        int at = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).type().startsWith(GRPO4J)) {
                at = i;
                break;
            }
        }
        Frame top = frames.get(0);
        String site = at < 0 ? "(outside grpo4j)" : frames.get(at).shortName() + ":" + frames.get(at).line();
        String callee = at > 0 ? frames.get(at - 1).shortName() : top.shortName();
        boolean nativeNd4j = top.type().startsWith("org.nd4j.") || top.type().startsWith("org.bytedeco.");
        String category;
        if (nativeNd4j || (at > 0 && frames.get(at - 1).type().startsWith("org.nd4j."))) {
            category = isProduct(frames, at) ? "ND4J matrix product" : "ND4J " + top.method();
        } else if (at == 0) {
            category = "Java " + top.shortName();
        } else {
            category = "other " + top.shortName();
        }
        return new SampleAttribution(category, site, callee);
    }

    private static boolean isProduct(List<Frame> frames, int site) {
        int end = site < 0 ? frames.size() : site;
        for (int i = 0; i < end; i++) {
            String m = frames.get(i).method();
            String t = frames.get(i).type();
            if (m.equals("mmul") || m.equals("mmuli") || m.equals("gemm") || m.equals("matmul")
                    || t.endsWith(".Mmul") || t.endsWith(".MmulBp")) {
                return true;
            }
        }
        return false;
    }
}
