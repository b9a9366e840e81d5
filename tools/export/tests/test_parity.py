import os
import unittest

import numpy as np
import torch

import support
from fake_backbone import CausalMeanBackbone
from qrm_export import contract, heads, parity, synthetic

P = list(contract.GATING_PATTERN)


class ParityInputsTest(unittest.TestCase):
    def test_should_find_the_last_occurrence_of_the_gating_pattern(self):
        ids = [contract.BOS_ID, 5] + P + [7] + P + [9]

        self.assertEqual(parity.gating_index(ids), 8)

    def test_should_refuse_ids_without_the_pattern(self):
        with self.assertRaisesRegex(ValueError, "not found"):
            parity.gating_index([contract.BOS_ID, 1, 2, 3])

    def test_should_pad_on_the_right_with_the_pad_id_and_mask_zero(self):
        rows = [[contract.BOS_ID] + P + [1, 2], [contract.BOS_ID] + P]

        f = parity.feeds(rows, contract.PAD_ID)

        self.assertEqual(f["input_ids"][1].tolist(), rows[1] + [contract.PAD_ID] * 2)
        self.assertEqual(f["attention_mask"][1].tolist(), [1] * 6 + [0, 0])
        self.assertEqual(f["last_token_index"].tolist(), [7, 5])
        self.assertEqual(f["gating_token_index"].tolist(), [1, 1])
        self.assertEqual({v.dtype for v in f.values()}, {np.dtype(np.int64)})

    def test_should_load_only_scoreable_conversations_with_the_response_as_last_turn(self):
        path = os.path.join(support.REPO, "docs", "examples", "conversations.jsonl")

        conversations = parity.load_conversations(path)

        self.assertEqual([c[0] for c in conversations], ["pizza-1", "pizza-2", "multi-turn"])
        self.assertEqual(conversations[1][1][-1]["role"], "assistant")


class ParityComparisonTest(unittest.TestCase):
    def setUp(self):
        spec = heads.parse(synthetic.head_tensors(16, gating_hidden=8), {})
        self.graph = heads.RewardGraph(CausalMeanBackbone(16), heads.QRMHeads(spec)).eval()
        self.rows = [[contract.BOS_ID] + list(range(3, 3 + n)) + P + [11] * m for n, m in ((2, 9), (14, 1), (5, 4))]

    def run_graph(self, rows):
        with torch.no_grad():
            values = self.graph(*(torch.from_numpy(v) for v in parity.feeds(rows, contract.PAD_ID).values()))
        return {n: v.numpy() for n, v in zip(contract.OUTPUT_NAMES, values)}

    def test_should_pass_when_a_padded_batch_equals_the_rows_run_alone(self):
        reference = parity.stack([self.run_graph([r]) for r in self.rows])

        report = parity.compare(reference, self.run_graph(self.rows), parity.TOLERANCES["float32"])

        self.assertTrue(all(r.ok for r in report), parity.table(report, "padded vs alone"))

    def test_should_fail_and_show_it_when_a_tolerance_is_exceeded(self):
        reference = self.run_graph(self.rows)
        shifted = dict(reference, score=reference["score"] + 0.06)

        report = parity.compare(reference, shifted, parity.TOLERANCES["float16"])

        self.assertEqual([r.ok for r in report], [False, True, True, True])
        self.assertIn("EXCEEDED", parity.table(report, "t"))

    def test_should_fail_on_non_finite_outputs_or_shape_mismatch(self):
        reference = self.run_graph(self.rows)
        broken = dict(reference, rewards=np.full_like(reference["rewards"], np.nan),
                      gating_output=reference["gating_output"][:1])

        report = {r.output: r.ok for r in parity.compare(reference, broken, parity.TOLERANCES["float16"])}

        self.assertEqual(report, {"score": True, "reward_quantiles": True, "rewards": False, "gating_output": False})

    def test_should_check_the_contract_identities(self):
        outputs = self.run_graph(self.rows)

        self.assertTrue(all(r.ok for r in parity.identities(outputs, 1.7)))
        self.assertFalse(parity.identities(outputs, 1.0)[1].ok)


if __name__ == "__main__":
    unittest.main()
