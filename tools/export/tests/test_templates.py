import hashlib
import unittest

import support  # noqa: F401  (puts tools/export on sys.path)
from qrm_export import templates

# The published Meta texts (tools/golden/templates/README.md): the BOS-carrying forms must be exactly these.
OFFICIAL_SHA256 = {
    "llama-3": (389, "ba03a121d097859c7b5b9cd03af99aafe95275210d2876f642ad9929a150f122"),
    "llama-3.1": (4614, "e10ca381b1ccc5cf9db52e371f3b6651576caee0a630b452e2816b2d404d4b65"),
}


class TemplateDetectionTest(unittest.TestCase):
    def test_should_detect_each_bos_free_template(self):
        for name in ("llama-3", "llama-3.1"):
            text = templates.read_template_file(name)

            match = templates.detect({"chat_template": text})

            self.assertEqual((match.name, match.bos_in_template, match.bos_free_text), (name, False, text))

    def test_should_detect_each_template_with_its_bos_token_part(self):
        for name in ("llama-3", "llama-3.1"):
            bos_free = templates.read_template_file(name)

            match = templates.detect({"chat_template": templates.with_bos(name, bos_free)})

            self.assertEqual((match.name, match.bos_in_template, match.bos_free_text), (name, True, bos_free))

    def test_should_rebuild_the_published_meta_texts_when_adding_bos(self):
        for name, (length, digest) in OFFICIAL_SHA256.items():
            text = templates.with_bos(name, templates.read_template_file(name))

            self.assertEqual((len(text), hashlib.sha256(text.encode("utf-8")).hexdigest()), (length, digest))

    def test_should_accept_the_default_of_a_list_of_named_templates(self):
        text = templates.read_template_file("llama-3")
        config = {"chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": text}]}

        self.assertEqual(templates.detect(config).name, "llama-3")

    def test_should_refuse_a_template_that_differs_by_one_character_and_say_where(self):
        text = templates.read_template_file("llama-3.1").replace("26 Jul 2024", "26 July 2024")

        with self.assertRaises(templates.TemplateError) as caught:
            templates.detect({"chat_template": text})

        message = str(caught.exception)
        self.assertIn("Closest: llama-3.1 (BOS-free)", message)
        self.assertIn("first difference at char %d" % (text.index("July") + 3), message)   # "Jul" is shared
        self.assertIn(hashlib.sha256(text.encode("utf-8")).hexdigest(), message)

    def test_should_refuse_a_trailing_newline_difference(self):
        text = templates.read_template_file("llama-3") + "\n"

        with self.assertRaises(templates.TemplateError):
            templates.detect({"chat_template": text})

    def test_should_refuse_a_config_without_chat_template(self):
        with self.assertRaises(templates.TemplateError) as caught:
            templates.detect({"bos_token": "<|begin_of_text|>"})

        self.assertIn("no chat_template", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
