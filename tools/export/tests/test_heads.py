import unittest

import numpy as np
import torch

import support  # noqa: F401
from qrm_export import checkpoint, heads, synthetic

HIDDEN = 24
CONFIG = {"gating_temperature": 5.0, "gating_hidden_dim": 16, "gating_n_hidden": 3, "num_objectives": 19}


def direct_formula(t, h_last, h_gate, temperature, eps=1e-5):
    """docs/model-contract.md section 2, written out in numpy float64 with explicit sums."""
    k = t["gating.layers.9.weight"].shape[0]
    q = t["regression_layer.weight"].shape[0] // k
    np64 = {n: v.double().numpy() for n, v in t.items()}
    r = (h_last @ np64["regression_layer.weight"].T).reshape(-1, k, q)                 # R[b, k, q], flat k*Q+q
    m = np64["reward_transform_matrix"]
    r_adj = np.einsum("bkq,kj->bjq", r, m)                                              # R_adj = sum_k R[k] M[k, j]
    x = h_gate
    for i in range(3):
        x = np.maximum(x @ np64["gating.layers.%d.weight" % (3 * i)].T, 0.0)            # Linear(no bias), ReLU
        bn = "gating.layers.%d." % (3 * i + 2)
        x = (x - np64[bn + "running_mean"]) / np.sqrt(np64[bn + "running_var"] + eps) * np64[bn + "weight"] \
            + np64[bn + "bias"]                                                          # BatchNorm1d, eval
    z = (x @ np64["gating.layers.9.weight"].T + np64["gating.layers.9.bias"]) / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    gate = e / e.sum(axis=1, keepdims=True) * np64["gating.logit_scale"][0]
    quantiles = np.stack([sum(gate[b, j] * r_adj[b, j] for j in range(k)) for b in range(len(gate))])
    rewards = r_adj.mean(axis=2)
    return quantiles.mean(axis=1, keepdims=True), quantiles, rewards, gate


class HeadMathTest(unittest.TestCase):
    def setUp(self):
        self.tensors = synthetic.head_tensors(HIDDEN, gating_hidden=16, seed=11)
        self.spec = heads.parse(self.tensors, CONFIG)
        g = torch.Generator().manual_seed(3)
        self.h_last = torch.randn(5, HIDDEN, generator=g)
        self.h_gate = torch.randn(5, HIDDEN, generator=g)

    def outputs(self):
        with torch.no_grad():
            return [v.double().numpy() for v in heads.QRMHeads(self.spec)(self.h_last, self.h_gate)]

    def test_should_match_the_direct_formula_of_the_contract(self):
        want = direct_formula(self.tensors, self.h_last.double().numpy(), self.h_gate.double().numpy(), 5.0)

        for name, got, expected in zip(("score", "reward_quantiles", "rewards", "gating_output"), self.outputs(), want):
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5, err_msg=name)

    def test_should_give_a_score_equal_to_the_mean_of_the_quantiles(self):
        score, quantiles, rewards, gate = self.outputs()

        np.testing.assert_allclose(score[:, 0], quantiles.mean(axis=1), atol=1e-5)
        np.testing.assert_allclose(score[:, 0], (gate * rewards).sum(axis=1), atol=1e-5)

    def test_should_give_gate_weights_that_sum_to_logit_scale(self):
        gate = self.outputs()[3]

        np.testing.assert_allclose(gate.sum(axis=1), np.full(5, 1.7), atol=1e-5)
        self.assertTrue((gate > 0).all())

    def test_should_apply_the_transform_matrix_by_right_multiplication_not_transposed(self):
        transposed = dict(self.tensors, reward_transform_matrix=self.tensors["reward_transform_matrix"].T)
        want = direct_formula(transposed, self.h_last.double().numpy(), self.h_gate.double().numpy(), 5.0)

        self.assertGreater(np.abs(self.outputs()[2] - want[2]).max(), 1e-3)

    def test_should_pick_hidden_states_per_row(self):
        hidden = torch.arange(2 * 4 * 3, dtype=torch.float32).reshape(2, 4, 3)

        picked = heads.pick(hidden, torch.tensor([3, 1]))

        self.assertTrue(torch.equal(picked, torch.stack([hidden[0, 3], hidden[1, 1]])))


class HeadParsingTest(unittest.TestCase):
    def setUp(self):
        self.tensors = synthetic.head_tensors(HIDDEN, gating_hidden=16, seed=5)

    def test_should_use_identity_and_the_contract_temperature_when_absent_and_say_so(self):
        del self.tensors["reward_transform_matrix"]

        spec = heads.parse(self.tensors, {})

        self.assertTrue(torch.equal(spec.transform, torch.eye(19)))
        self.assertEqual(spec.temperature, 5.0)
        self.assertEqual(len(spec.notes), 2)

    def test_should_take_the_temperature_from_config(self):
        self.assertEqual(heads.parse(self.tensors, {"gating_temperature": 10}).temperature, 10.0)

    def test_should_order_gating_modules_numerically_not_alphabetically(self):
        deeper = synthetic.head_tensors(HIDDEN, gating_hidden=16, n_hidden=4, seed=5)   # layers.0 ... layers.12

        spec = heads.parse(deeper, {})   # alphabetically, layers.12 would come before layers.2

        self.assertEqual(len(spec.blocks), 4)
        self.assertEqual(tuple(spec.final_weight.shape), (19, 16))

    def test_should_refuse_an_armorm_style_gate_with_biases_and_no_batchnorm(self):
        armo = {k: v for k, v in self.tensors.items() if not k.startswith("gating.layers.")}
        width = HIDDEN
        for i in range(3):
            armo["gating.layers.%d.weight" % i] = torch.zeros(16, width)
            armo["gating.layers.%d.bias" % i] = torch.zeros(16)
            width = 16
        armo["gating.layers.3.weight"] = torch.zeros(19, 16)
        armo["gating.layers.3.bias"] = torch.zeros(19)

        with self.assertRaisesRegex(checkpoint.CheckpointError, "without BatchNorm is a different model"):
            heads.parse(armo, CONFIG)

    def test_should_refuse_a_hidden_gating_layer_with_a_bias(self):
        self.tensors["gating.layers.3.bias"] = torch.zeros(16)

        with self.assertRaisesRegex(checkpoint.CheckpointError, "gating.layers.3' has a bias"):
            heads.parse(self.tensors, CONFIG)

    def test_should_refuse_config_that_disagrees_with_the_tensors(self):
        with self.assertRaisesRegex(checkpoint.CheckpointError, "gating_hidden_dim"):
            heads.parse(self.tensors, dict(CONFIG, gating_hidden_dim=1024))

    def test_should_refuse_another_number_of_objectives(self):
        v2 = synthetic.head_tensors(HIDDEN, gating_hidden=16, num_attributes=5, seed=5)

        with self.assertRaisesRegex(checkpoint.CheckpointError, "5 attributes x 19 quantiles"):
            heads.parse(v2, {})

    def test_should_refuse_a_regression_layer_that_does_not_split_into_attributes(self):
        self.tensors["regression_layer.weight"] = torch.zeros(360, HIDDEN)

        with self.assertRaisesRegex(checkpoint.CheckpointError, "not a multiple"):
            heads.parse(self.tensors, CONFIG)


if __name__ == "__main__":
    unittest.main()
