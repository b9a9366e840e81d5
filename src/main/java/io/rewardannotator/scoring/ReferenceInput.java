package io.rewardannotator.scoring;

import ai.onnxruntime.OrtException;
import io.rewardannotator.model.BundleException;
import io.rewardannotator.model.DeviceUnavailableException;
import io.rewardannotator.text.ChatMessage;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.ConversationEncoder;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.PaddedBatch;
import java.util.List;

/**
 * One short conversation the scorer runs before it takes any request. It proves that the model runs on the device
 * before a record is read (a broken device fails start-up, not the first records), and it is the input that
 * {@link BatchRunner} runs again to tell a broken device from a poison input, even when the first inputs it ever
 * sees fail.
 */
final class ReferenceInput {
    static final Conversation CONVERSATION = new Conversation(List.of(ChatMessage.user("Say hello.")), "Hello!");

    private ReferenceInput() {
    }

    /**
     * Encodes and scores the reference conversation.
     *
     * @return the encoded reference, scored once with a finite score
     * @throws BundleException            when the bundle cannot encode it
     * @throws DeviceUnavailableException when the model fails on it or gives a non-finite score
     */
    static EncodedConversation checked(ConversationEncoder encoder, BatchInference inference, long padId,
                                       String device) {
        EncodedConversation reference;
        try {
            reference = encoder.encode(CONVERSATION);
        } catch (InputRejectedException e) {
            throw new BundleException("the bundle cannot encode even a one-line conversation (is its max_tokens "
                    + "too small?): " + e.getMessage(), e);
        }
        float score;
        try {
            score = inference.run(PaddedBatch.of(List.of(reference), padId)).score()[0];
        } catch (OrtException | RuntimeException e) {
            throw new DeviceUnavailableException("the model loaded on " + device + " but fails on a one-line "
                    + "reference conversation: " + e.getMessage() + ". Check the device and the bundle's export", e);
        }
        if (!Float.isFinite(score)) {
            throw new DeviceUnavailableException("the model loaded on " + device + " but scores a one-line reference "
                    + "conversation as " + score + ": the device or the export computes non-finite values "
                    + "(a float16 export that overflows?)", null);
        }
        return reference;
    }
}
