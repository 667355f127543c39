"""The meaning check's part of `make bench` (agent.nlu.meaning): encoding every example cold, the
sentence head's fit, and what the requests the classifier is unsure of add to routing."""

from __future__ import annotations

import time
from collections.abc import Sequence


def _ms(values: Sequence[float], q: float) -> float:
    """The q-quantile of latencies in seconds, in milliseconds (shared with benchmarks.nlu)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def bench_meaning(examples: dict[str, list[str]], texts: Sequence[str]) -> list[str]:
    """The meaning check (agent.nlu.meaning) at this many tools: encoding every example cold, and
    what the requests the classifier is unsure of add to routing."""
    from agent.nlu import meaning
    from agent.nlu.classifier import IntentClassifier
    from agent.nlu.encoder import sentence_encoder
    from agent.nlu.training import build
    from tools.language import ToolLanguage

    encoder = sentence_encoder()
    if encoder is None:
        return ["  meaning check: not measured (the sentence encoder's package is not installed)"]
    languages = {name: ToolLanguage(examples=tuple(t), phrase=lambda _out, _args: "")
                 for name, t in examples.items()}
    training = build(languages)
    classifier, check = IntentClassifier(training), meaning.MeaningCheck(training)
    meaning._KNOWN.clear()
    started = time.perf_counter()
    tools, declines = check.examples(encoder)  # NLU_CACHE=false here: encoded, not read
    cold = time.perf_counter() - started
    started = time.perf_counter()
    check.head(encoder)  # the greetings' vectors encoded too, then the ridge fitted
    head = time.perf_counter() - started
    checked, latencies = 0, []
    for text in texts:
        started = time.perf_counter()
        ranked = check.blend(text, classifier.ranked(text))
        best = next(score for label, score in ranked if label in examples)
        if best < meaning.UNSURE:
            checked += 1
            check.outside(text)
        latencies.append(time.perf_counter() - started)
    return [
        f"  meaning check: {len(tools) + len(declines):,} examples encoded cold in {cold:.1f} s "
        f"(kept on disk after), its sentence head fitted in {head:.2f} s; {checked / len(texts):.0%} "
        f"of requests are unsure enough to be checked; routing with the blend and the check "
        f"p50 {_ms(latencies, 0.5):.2f} ms, p95 {_ms(latencies, 0.95):.2f} ms",
    ]
