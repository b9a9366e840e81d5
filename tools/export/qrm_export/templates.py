"""Which chat template a checkpoint ships, by exact text match (docs/model-contract.md, section 3).

The Java scorer implements two templates as code and renders them without BOS (it adds the one BOS
itself). A checkpoint may ship either BOS-free text (tools/golden/templates/*.jinja) or the published
Meta text that still carries the bos_token part; both map to the same name. Anything else is refused:
a template that differs by one character may render differently, and the scorer would silently
score other token ids than the model was trained on.
"""

import collections
import hashlib
import os

TEMPLATES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                             "golden", "templates")
TEMPLATE_FILES = collections.OrderedDict([("llama-3", "llama-3.jinja"), ("llama-3.1", "llama-3.1.jinja")])

# How the published templates carry BOS, i.e. what the BOS-free files had removed (templates/README.md).
_LLAMA3_BOS = "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
_LLAMA3_BOS_BEFORE = "{{ content }}"
_LLAMA31_BOS_PREFIX = "{{- bos_token }}\n"

TemplateMatch = collections.namedtuple("TemplateMatch", "name bos_in_template bos_free_text")


class TemplateError(ValueError):
    """The checkpoint's chat template is not one the scorer implements."""


def read_template_file(name, templates_dir=TEMPLATES_DIR):
    path = os.path.join(templates_dir, TEMPLATE_FILES[name])
    with open(path, "r", encoding="utf-8", newline="") as f:
        return f.read()


def with_bos(name, bos_free_text):
    """The published (BOS-carrying) form of a BOS-free template text."""
    if name == "llama-3":
        if _LLAMA3_BOS_BEFORE not in bos_free_text:
            raise ValueError("llama-3 template text lacks %r" % _LLAMA3_BOS_BEFORE)
        return bos_free_text.replace(_LLAMA3_BOS_BEFORE, _LLAMA3_BOS + _LLAMA3_BOS_BEFORE, 1)
    if name == "llama-3.1":
        return _LLAMA31_BOS_PREFIX + bos_free_text
    raise ValueError("unknown template %r" % name)


def known_variants(templates_dir=TEMPLATES_DIR):
    """[(text, TemplateMatch)] for every accepted text."""
    variants = []
    for name in TEMPLATE_FILES:
        bos_free = read_template_file(name, templates_dir)
        variants.append((bos_free, TemplateMatch(name, False, bos_free)))
        variants.append((with_bos(name, bos_free), TemplateMatch(name, True, bos_free)))
    return variants


def template_text(tokenizer_config):
    """The default chat template of a parsed tokenizer_config.json (a string, or a list of named ones)."""
    value = tokenizer_config.get("chat_template")
    if isinstance(value, list):
        named = {t.get("name"): t.get("template") for t in value if isinstance(t, dict)}
        value = named.get("default")
    if not isinstance(value, str):
        raise TemplateError("tokenizer_config.json has no chat_template string (got %s); the bundle must name "
                            "its template, and only llama-3 or llama-3.1 are implemented" % type(value).__name__)
    return value


def detect(tokenizer_config, templates_dir=TEMPLATES_DIR):
    """Returns the TemplateMatch of the checkpoint's template, or raises TemplateError saying how it differs."""
    text = template_text(tokenizer_config)
    variants = known_variants(templates_dir)
    for known, match in variants:
        if text == known:
            return match
    raise TemplateError(_explain_mismatch(text, variants))


def _explain_mismatch(text, variants):
    def common_prefix(a, b):
        n = 0
        for x, y in zip(a, b):
            if x != y:
                break
            n += 1
        return n

    best_text, best = max(variants, key=lambda v: common_prefix(text, v[0]))
    at = common_prefix(text, best_text)
    return ("the checkpoint's chat_template (%d chars, sha256 %s) is none of the templates the scorer implements "
            "(llama-3 or llama-3.1, with or without the bos_token part, compared by exact text). Closest: %s%s, "
            "first difference at char %d: checkpoint has %r, known text has %r. Refusing to export: a bundle "
            "whose template the scorer renders differently would be scored on other token ids than the model "
            "saw. If the template is new, add it to the Java scorer (text.ChatTemplate) and to "
            "tools/golden/templates first."
            % (len(text), hashlib.sha256(text.encode("utf-8")).hexdigest(), best.name,
               " (with bos_token)" if best.bos_in_template else " (BOS-free)", at,
               text[max(0, at - 20):at + 20], best_text[max(0, at - 20):at + 20]))
