"""The transformers side with the real LlamaModel (the --tiny checkpoint): names, weights, padding, activations.

Skipped where transformers is not installed; .ci/run installs it (tools/export/requirements.txt).
"""

import importlib.util
import unittest

import numpy as np
import torch

import support
from qrm_export import activations, checkpoint, heads, parity

HAS_TRANSFORMERS = importlib.util.find_spec("transformers") is not None


@unittest.skipUnless(HAS_TRANSFORMERS, "transformers is not installed (pip install -r tools/export/requirements.txt)")
class LlamaBackboneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from qrm_export import hf, tiny

        cls.hf = hf
        ckpt = tiny.make_checkpoint(support.temp_dir(cls))
        cls.config = hf.load_config(ckpt)
        files = checkpoint.tensor_files(ckpt)
        cls.names = checkpoint.map_names(files, hf.expected_backbone_names(cls.config))
        cls.tensors = checkpoint.load(ckpt, files, list(files))
        cls.spec = heads.parse({n: cls.tensors[n] for n in cls.names.heads}, {})
        cls.rows = parity.long_rows([[128000, 9906, 1917, 128009, 128006, 78191, 128007, 271, 13347]],
                                    lengths=(13, 40, 29))

    def graph(self, dtype=torch.float32):
        backbone = self.hf.build_backbone(self.config, self.tensors, self.names, dtype, "cpu")
        return heads.RewardGraph(backbone, heads.QRMHeads(self.spec))

    def run_graph(self, graph, rows):
        with torch.no_grad():
            return [v.numpy() for v in graph(*(torch.from_numpy(v) for v in parity.feeds(rows, 128256).values()))]

    def test_should_sort_every_tensor_of_the_tiny_checkpoint_with_bfloat16_backbone_and_float32_heads(self):
        self.assertEqual(len(self.names.backbone), 2 * 9 + 2)   # 9 tensors per layer, embeddings, final norm
        self.assertEqual({self.tensors[n].dtype for n in self.names.backbone}, {torch.bfloat16})
        self.assertEqual(self.tensors["regression_layer.weight"].dtype, torch.float32)

    def test_should_give_each_row_the_same_outputs_alone_and_right_padded_in_a_batch(self):
        graph = self.graph()

        together = self.run_graph(graph, self.rows)
        alone = [self.run_graph(graph, [r]) for r in self.rows]

        for i, out in enumerate(together):
            np.testing.assert_allclose(out, np.concatenate([a[i] for a in alone]), atol=1e-5)

    def test_should_record_the_max_activation_of_every_layer(self):
        graph = self.graph()

        with activations.ActivationRange(self.hf.activation_modules(graph.backbone)) as observed:
            self.run_graph(graph, self.rows)

        self.assertEqual(list(observed.maxima), ["embed_tokens", "layers.0", "layers.1", "norm"])
        self.assertTrue(all(0 < v < activations.FLOAT16_MAX for v in observed.maxima.values()), observed.maxima)
        self.assertEqual(activations.beyond_float16(dict(observed.maxima, norm=float("inf"))), ["norm"])


if __name__ == "__main__":
    unittest.main()
