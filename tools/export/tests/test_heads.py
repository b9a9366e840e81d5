import unittest

import numpy as np
import torch

import support  # noqa: F401
from qrm_export import checkpoint, heads, synthetic

HIDDEN = 24
CONFIG = {"gating_temperature": 5.0, "gating_hidden_dim": 16, "gating_n_hidden": 3, "num_objectives": 19}


def direct_formula(t, h_last, h_gate, temperature, eps=1e-5, slots="linear,relu,batchnorm", relu_first=True):
    """docs/model-contract.md section 2, written out in numpy float64 with explicit sums."""
    linear_at, bn_at, step = synthetic.SLOTS[slots]
    final = "gating.layers.%d." % (3 * step)
    k = t[final + "weight"].shape[0]
    q = t["regression_layer.weight"].shape[0] // k
    np64 = {n: v.double().numpy() for n, v in t.items()}
    r = (h_last @ np64["regression_layer.weight"].T).reshape(-1, k, q)                 # R[b, k, q], flat k*Q+q
    m = np64["reward_transform_matrix"]
    r_adj = np.einsum("bkq,kj->bjq", r, m)                                              # R_adj = sum_k R[k] M[k, j]
    x = h_gate
    for i in range(3):
        x = x @ np64["gating.layers.%d.weight" % (step * i + linear_at)].T               # Linear(no bias)
        bn = "gating.layers.%d." % (step * i + bn_at)
        x = np.maximum(x, 0.0) if relu_first else x
        x = (x - np64[bn + "running_mean"]) / np.sqrt(np64[bn + "running_var"] + eps) * np64[bn + "weight"] \
            + np64[bn + "bias"]                                                          # BatchNorm1d, eval
        x = x if relu_first else np.maximum(x, 0.0)
    z = (x @ np64[final + "weight"].T + np64[final + "bias"]) / temperature
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


def assert_heads_match_formula(test, tensors, spec, **layout):
    g = torch.Generator().manual_seed(4)
    h_last, h_gate = torch.randn(3, HIDDEN, generator=g), torch.randn(3, HIDDEN, generator=g)
    with torch.no_grad():
        got = [v.double().numpy() for v in heads.QRMHeads(spec)(h_last, h_gate)]
    want = direct_formula(tensors, h_last.double().numpy(), h_gate.double().numpy(), 5.0, **layout)
    for name, a, b in zip(("score", "reward_quantiles", "rewards", "gating_output"), got, want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5, err_msg=name)


class HeadParsingTest(unittest.TestCase):
    def setUp(self):
        self.tensors = synthetic.head_tensors(HIDDEN, gating_hidden=16, seed=5)

    def test_should_use_identity_and_the_contract_temperature_when_absent_and_say_so(self):
        del self.tensors["reward_transform_matrix"]

        spec = heads.parse(self.tensors, {})

        self.assertTrue(torch.equal(spec.transform, torch.eye(19)))
        self.assertEqual(spec.temperature, 5.0)
        self.assertEqual(len(spec.notes), 3)   # the gating layout, then the two defaults

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

    def test_should_take_relu_after_batchnorm_from_the_empty_slot_after_it(self):
        t = synthetic.head_tensors(HIDDEN, gating_hidden=16, seed=5, slots="linear,batchnorm,relu")

        spec = heads.parse(t, CONFIG)

        self.assertFalse(spec.relu_first)
        self.assertIn("BatchNorm1d, ReLU), Linear with bias; ReLU position from the empty module slots", spec.notes[0])
        assert_heads_match_formula(self, t, spec, slots="linear,batchnorm,relu", relu_first=False)

    def test_should_take_the_relu_position_from_config_when_the_module_list_has_no_slot_for_it(self):
        t = synthetic.head_tensors(HIDDEN, gating_hidden=16, seed=5, slots="no relu slot")
        for order, relu_first in (("linear,relu,batchnorm", True), ("linear,batchnorm,relu", False)):
            spec = heads.parse(t, dict(CONFIG, gating_block_order=order))

            self.assertEqual(spec.relu_first, relu_first)
            self.assertIn("from config.json gating_block_order", spec.notes[0])
            assert_heads_match_formula(self, t, spec, slots="no relu slot", relu_first=relu_first)

    def test_should_refuse_naming_the_modules_when_neither_slots_nor_config_place_the_relu(self):
        t = synthetic.head_tensors(HIDDEN, gating_hidden=16, seed=5, slots="no relu slot")

        with self.assertRaises(checkpoint.CheckpointError) as caught:
            heads.parse(t, CONFIG)

        message = str(caught.exception)
        self.assertIn("'gating.layers.0', 'gating.layers.1', 'gating.layers.2'", message)
        self.assertIn("set gating_block_order in config.json", message)

    def test_should_refuse_a_config_order_that_contradicts_the_slots(self):
        with self.assertRaisesRegex(checkpoint.CheckpointError, "empty .ReLU. slots among .* say 'linear,relu,batchnorm'"):
            heads.parse(self.tensors, dict(CONFIG, gating_block_order="linear,batchnorm,relu"))

    def test_should_accept_float32_heads_beside_a_bfloat16_backbone_and_compute_in_float32(self):
        bf16 = {n: v if v.dtype == torch.int64 else v.to(torch.bfloat16) for n, v in self.tensors.items()}

        spec_f32, spec_bf16 = heads.parse(self.tensors, CONFIG), heads.parse(bf16, CONFIG)

        self.assertEqual(heads.QRMHeads(spec_f32).regression_layer.weight.dtype, torch.float32)
        self.assertTrue(torch.equal(heads.QRMHeads(spec_f32).regression_layer.weight, self.tensors[
            "regression_layer.weight"]))   # float32 heads are taken bit for bit, not through bfloat16
        self.assertFalse(torch.equal(heads.QRMHeads(spec_bf16).regression_layer.weight, self.tensors[
            "regression_layer.weight"]))

    def test_should_describe_every_head_tensor_with_shape_and_dtype(self):
        lines = heads.describe({"gating.layers.10.weight": torch.zeros(19, 16, dtype=torch.bfloat16),
                                "gating.layers.2.bias": torch.zeros(16)})

        self.assertEqual([line.split() for line in lines], [["gating.layers.2.bias", "[16]", "float32"],
                                                            ["gating.layers.10.weight", "[19,", "16]", "bfloat16"]])

    def test_should_refuse_a_regression_layer_that_does_not_split_into_attributes(self):
        self.tensors["regression_layer.weight"] = torch.zeros(360, HIDDEN)

        with self.assertRaisesRegex(checkpoint.CheckpointError, "not a multiple"):
            heads.parse(self.tensors, CONFIG)


if __name__ == "__main__":
    unittest.main()
