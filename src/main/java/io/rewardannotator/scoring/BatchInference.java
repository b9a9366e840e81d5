package io.rewardannotator.scoring;

import ai.onnxruntime.OrtException;
import io.rewardannotator.model.RawRewards;
import io.rewardannotator.text.PaddedBatch;

/** One model run over a padded batch; {@code OnnxRewardModel::run} in production. */
@FunctionalInterface
interface BatchInference {
    RawRewards run(PaddedBatch batch) throws OrtException;
}
