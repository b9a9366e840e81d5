import hashlib
import json
import os
import unittest

import support
from qrm_export import contract, manifest

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.bundle = support.temp_dir(self)
        self.contents = {"model.onnx": b"graph", "model.onnx.data": b"\x00" * 4097,
                         "tokenizer.json": b"{}", "tokenizer_config.json": b'{"a": 1}'}
        for name, data in self.contents.items():
            support.write(os.path.join(self.bundle, name), data)

    def build(self, **overrides):
        args = dict(name="QRM-Llama3.1-8B", revision=COMMIT, description="test", chat_template="llama-3.1",
                    pad_token_id=128256, bos_token_id=128000)
        args.update(overrides)
        return manifest.build(self.bundle, **args)

    def test_should_write_every_contract_field_in_order(self):
        m = self.build()

        self.assertEqual(list(m), ["format", "name", "revision", "description", "chat_template", "quantile_levels",
                                   "attributes", "pad_token_id", "bos_token_id", "gating_pattern", "max_tokens",
                                   "files"])
        self.assertEqual(m["format"], "qrm-onnx/1")
        self.assertEqual(m["quantile_levels"], [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6,
                                                0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
        self.assertEqual(m["attributes"][0], "helpsteer-helpfulness")
        self.assertEqual(m["attributes"][-1], "code-readability")
        self.assertEqual(len(m["attributes"]), 19)
        self.assertEqual(m["gating_pattern"], [128009, 128006, 78191, 128007, 271])
        self.assertEqual((m["pad_token_id"], m["bos_token_id"], m["max_tokens"]), (128256, 128000, 4096))

    def test_should_list_every_file_external_data_included_with_sha256_and_size(self):
        m = self.build()

        self.assertEqual(sorted(m["files"]), sorted(self.contents))
        for name, data in self.contents.items():
            self.assertEqual(m["files"][name], {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})

    def test_should_not_list_the_manifest_itself_when_rebuilt(self):
        manifest.write(self.bundle, self.build())

        self.assertNotIn(contract.MANIFEST_FILE, self.build()["files"])

    def test_should_write_json_that_reads_back_equal(self):
        m = self.build()
        path = manifest.write(self.bundle, m)

        with open(path, encoding="utf-8") as f:
            self.assertEqual(json.load(f), json.loads(json.dumps(m)))

    def test_should_format_exactly_like_the_tiny_bundle_manifest(self):
        path = os.path.join(support.REPO, "models", "tiny-qrm", "reward-model.json")
        with open(path, encoding="utf-8") as f:
            text = f.read()

        self.assertEqual(manifest.fmt_json(json.loads(text, object_pairs_hook=dict)) + "\n", text)

    def test_should_refuse_an_unknown_template_a_missing_file_or_a_subdirectory(self):
        with self.assertRaises(ValueError):
            self.build(chat_template="chatml")
        os.remove(os.path.join(self.bundle, "tokenizer.json"))
        with self.assertRaisesRegex(ValueError, "lacks"):
            self.build()
        support.write(os.path.join(self.bundle, "tokenizer.json"), b"{}")
        os.makedirs(os.path.join(self.bundle, "tmp"))
        with self.assertRaisesRegex(ValueError, "flat"):
            self.build()


class RevisionTest(unittest.TestCase):
    def setUp(self):
        self.root = support.temp_dir(self)

    def test_should_read_the_commit_from_an_hf_cache_snapshot_path(self):
        snapshot = os.path.join(self.root, "models--nicolinho--QRM-Llama3.1-8B", "snapshots", COMMIT)
        os.makedirs(snapshot)

        self.assertEqual(manifest.detect_revision(snapshot)[0], COMMIT)

    def test_should_read_the_commit_from_local_dir_download_metadata(self):
        meta = os.path.join(self.root, ".cache", "huggingface", "download")
        for name in ("config.json.metadata", "model-00001-of-00004.safetensors.metadata"):
            support.write(os.path.join(meta, name), COMMIT + "\netag\n1700000000.0\n")

        self.assertEqual(manifest.detect_revision(self.root), (COMMIT, "huggingface-cli download metadata"))

    def test_should_refuse_metadata_from_two_commits(self):
        meta = os.path.join(self.root, ".cache", "huggingface", "download")
        support.write(os.path.join(meta, "a.metadata"), COMMIT + "\n")
        support.write(os.path.join(meta, "b.metadata"), "f" * 40 + "\n")

        revision, why = manifest.detect_revision(self.root)

        self.assertIsNone(revision)
        self.assertIn("several commits", why)

    def test_should_follow_git_head_to_a_loose_or_packed_ref(self):
        git = os.path.join(self.root, ".git")
        support.write(os.path.join(git, "HEAD"), "ref: refs/heads/main\n")
        support.write(os.path.join(git, "packed-refs"), "# pack-refs\n%s refs/heads/main\n" % COMMIT)
        self.assertEqual(manifest.detect_revision(self.root)[0], COMMIT)

        support.write(os.path.join(git, "refs", "heads", "main"), "e" * 40 + "\n")
        self.assertEqual(manifest.detect_revision(self.root)[0], "e" * 40)

    def test_should_say_why_when_no_revision_is_found(self):
        revision, why = manifest.detect_revision(self.root)

        self.assertIsNone(revision)
        self.assertIn("no git checkout", why)


if __name__ == "__main__":
    unittest.main()
