"""Write the review tests' data from a real corpus text: python tests/data/review/make_data.py

Four paragraphs of corpus/terror/web/web018.json (the Tukhachevsky trial)
become four documents. ``gold.jsonl`` has the spans the guidelines ask for;
``tagged.jsonl`` is what a model might say (``terreur tag`` output, with
tokens and normalization fields), with typical errors: a wrong label, a
boundary that takes in a title, a missed name, a spurious span. Offsets are
computed here from the text, never typed in. ``kb/`` is a small knowledge
base for the link search.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.convert import set_hashes, tokens_of  # noqa: E402
from pipeline.tokenizer import make_blank_dutch  # noqa: E402

SOURCE = "corpus/terror/web/web018.json"
PARAGRAPHS = (  # how each document starts in the web capture
    "De zaak van de trotskistische",
    "De zaak was een geheim proces",
    "Het Tribunaal werd voorgezeten",
    "Het proces leidde tot",
)
PER = "PERSON"
# (paragraph, surface text, occurrence, label, normalization fields) -- occurrence counts from 0
GOLD = [
    (0, "zaak van de trotskistische anti-Sovjet-militaire organisatie", 0, "TRIAL", {"canonical": "Case of the Trotskyist Anti-Soviet Military Organization", "kb_id": "trial-military-case"}),
    (0, "militaire zaak", 0, "TRIAL", {"kb_id": "trial-military-case"}),
    (0, "zaak Tukhachevsky", 0, "TRIAL", {"kb_id": "trial-military-case"}),
    (0, "geheim proces", 0, "TRIAL", {"kb_id": "trial-military-case"}),
    (0, "1937", 0, "DATE", {"edtf": "1937"}),
    (0, "Rode Leger", 0, "ORG", {"kb_id": "org-red-army", "canonical": "Red Army"}),
    (1, "geheim proces", 0, "TRIAL", {}),
    (1, "Moskouse Showprocessen", 0, "TRIAL", {"canonical": "Moscow Trials", "kb_id": "trial-moscow-trials"}),
    (1, "Mikhail Tukhachevsky", 0, PER, {"kb_id": "per-mikhail-tukhachevsky", "canonical": "Mikhail Tukhachevsky", "cyrillic": "Михаил Николаевич Тухачевский"}),
    (1, "Iona Yakir", 0, PER, {"kb_id": "per-iona-yakir", "canonical": "Iona Yakir", "cyrillic": "Иона Эммануилович Якир"}),
    (1, "Ieronim Uborevich", 0, PER, {}),
    (1, "Robert Eideman", 0, PER, {}),
    (1, "August Kork", 0, PER, {}),
    (1, "Vitovt Putna", 0, PER, {}),
    (1, "Boris Feldman", 0, PER, {}),
    (1, "Vitaly Primakov", 0, PER, {}),
    (1, "Yakov Gamarnik", 0, PER, {}),
    (1, "11 op 12 juni 1937", 0, "DATE", {"edtf": "1937-06-11/1937-06-12"}),
    (1, "Hooggerechtshof van de USSR", 0, "ORG", {"canonical": "Supreme Court of the Soviet Union"}),
    (2, "Vasili Ulrikh", 0, PER, {"kb_id": "per-vasili-ulrikh", "canonical": "Vasili Ulrikh", "cyrillic": "Василий Васильевич Ульрих"}),
    (2, "Vasily Blyukher", 0, PER, {"kb_id": "per-vasily-blyukher", "canonical": "Vasily Blyukher", "cyrillic": "Василий Константинович Блюхер"}),
    (2, "Semyon Budyonny", 0, PER, {}),
    (2, "Alexander Yegorov", 0, PER, {}),
    (2, "Yakov Alksnis", 0, PER, {}),
    (2, "Boris Shaposhnikov", 0, PER, {}),
    (2, "Ivan Panfilovich Belov", 0, PER, {}),
    (2, "Pavel Dybenko", 0, PER, {}),
    (2, "Nikolai Kashirin", 0, PER, {}),
    (2, "Yelisey Goryachev", 0, PER, {}),
    (2, "Ulrikh", 1, PER, {"kb_id": "per-vasili-ulrikh", "canonical": "Vasili Ulrikh", "cyrillic": "Василий Васильевич Ульрих"}),
    (2, "Budyonny", 1, PER, {}),
    (2, "Shaposhnikov", 1, PER, {}),
    (3, "Rode Leger", 0, "ORG", {"kb_id": "org-red-army", "canonical": "Red Army"}),
    (3, "september 1938", 0, "DATE", {"edtf": "1938-09"}),
    (3, "Kliment Voroshilov", 0, PER, {"kb_id": "per-kliment-voroshilov", "canonical": "Kliment Voroshilov", "cyrillic": "Климент Ефремович Ворошилов"}),
]
# The model's mistakes: (paragraph, surface, occurrence) -> replacement (surface, occurrence, label) or None (missed)
MISTAKES = {
    (0, "zaak Tukhachevsky", 0): None,
    (0, "Rode Leger", 0): ("Rode Leger", 0, "LOC"),
    (1, "Mikhail Tukhachevsky", 0): ("Maarschalk Mikhail Tukhachevsky", 0, PER),
    (1, "Vitovt Putna", 0): None,
    (1, "Hooggerechtshof van de USSR", 0): ("USSR", 0, "LOC"),
    (2, "Alexander Yegorov", 0): ("Yegorov", 0, PER),
}
SPURIOUS = [(0, "Grote Zuivering", 0, "TRIAL", {"confidence": 0.41}), (3, "Volkscommissaris voor Defensie", 0, "ORG", {"confidence": 0.55})]

KB = {
    "persons.jsonl": [
        {"kb_id": "per-mikhail-tukhachevsky", "type": "person", "canonical": "Mikhail Tukhachevsky", "cyrillic": "Михаил Николаевич Тухачевский", "aliases": ["Michail Toechatsjevski", "Tukhachevsky", "Toechatsjevski", "Tuchatschewski"]},
        {"kb_id": "per-iona-yakir", "type": "person", "canonical": "Iona Yakir", "cyrillic": "Иона Эммануилович Якир", "aliases": ["Jona Jakir", "Yakir", "Jakir"]},
        {"kb_id": "per-vasili-ulrikh", "type": "person", "canonical": "Vasili Ulrikh", "cyrillic": "Василий Васильевич Ульрих", "aliases": ["Vasili Oelrich", "Ulrikh", "Ulrich", "Oelrich"]},
        {"kb_id": "per-vasily-blyukher", "type": "person", "canonical": "Vasily Blyukher", "cyrillic": "Василий Константинович Блюхер", "aliases": ["Vasili Bljoecher", "Blücher", "Blyukher"]},
        {"kb_id": "per-alexander-yegorov", "type": "person", "canonical": "Alexander Yegorov", "cyrillic": "Александр Ильич Егоров", "aliases": ["Aleksandr Jegorov", "Yegorov", "Jegorov"]},
        {"kb_id": "per-kliment-voroshilov", "type": "person", "canonical": "Kliment Voroshilov", "cyrillic": "Климент Ефремович Ворошилов", "aliases": ["Kliment Vorosjilov", "Voroshilov", "Vorosjilov"]},
        {"kb_id": "per-nikolai-yezhov", "type": "person", "canonical": "Nikolai Yezhov", "cyrillic": "Николай Иванович Ежов", "aliases": ["Jezjov", "Jeschow", "Yezhov", "Ežov", "Nikolaj Ivanovitsj Jezjov"]},
    ],
    "orgs.jsonl": [
        {"kb_id": "org-red-army", "type": "org", "canonical": "Red Army", "aliases": ["Rode Leger", "Rode Armee", "RKKA"]},
        {"kb_id": "org-nkvd", "type": "org", "canonical": "NKVD", "cyrillic": "НКВД", "aliases": ["NKWD", "Volkscommissariaat voor Binnenlandse Zaken"]},
    ],
    "places.jsonl": [
        {"kb_id": "loc-soviet-union", "type": "place", "canonical": "Soviet Union", "aliases": ["USSR", "Sovjet-Unie", "Sovjetunie"]},
        {"kb_id": "loc-moscow", "type": "place", "canonical": "Moscow", "cyrillic": "Москва", "aliases": ["Moskou"]},
    ],
    "trials.jsonl": [
        {"kb_id": "trial-military-case", "type": "trial", "canonical": "Case of the Trotskyist Anti-Soviet Military Organization", "aliases": ["militaire zaak", "zaak Tukhachevsky"]},
        {"kb_id": "trial-moscow-trials", "type": "trial", "canonical": "Moscow Trials", "aliases": ["Moskouse processen", "showprocessen"]},
    ],
}


def paragraphs(text: str) -> list:
    blocks = text.split("\n\n")
    return [next(b for b in blocks if b.startswith(start)) for start in PARAGRAPHS]


def find(text: str, surface: str, occurrence: int) -> tuple:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def spans_for(nlp, text: str, entries) -> list:
    doc = nlp.make_doc(text)
    out = []
    for surface, occurrence, label, fields in entries:
        start, end = find(text, surface, occurrence)
        ent = doc.char_span(start, end)
        assert ent is not None, f"{surface!r} is not on token boundaries"
        out.append(dict({"start": start, "end": end, "token_start": ent.start, "token_end": ent.end - 1, "label": label, "text": surface}, **fields))
    return sorted(out, key=lambda s: s["start"])


def main() -> None:
    nlp = make_blank_dutch()
    record = json.loads((ROOT / SOURCE).read_text(encoding="utf-8"))
    gold, tagged = [], []
    for number, text in enumerate(paragraphs(record["text"])):
        meta = {"source": SOURCE, "id": f"{record['id']}-p{number + 1}", "url": record["url"]}
        entries = [(s, o, label, fields) for p, s, o, label, fields in GOLD if p == number]
        gold_spans = spans_for(nlp, text, [(s, o, label, {}) for s, o, label, _ in entries])
        gold.append(set_hashes({"text": text, "meta": meta, "spans": gold_spans, "answer": "accept"}))
        predicted = []
        for surface, occurrence, label, fields in entries:
            if (number, surface, occurrence) in MISTAKES:
                replacement = MISTAKES[(number, surface, occurrence)]
                if replacement is None:
                    continue
                surface, occurrence, label = replacement
                fields = {k: v for k, v in fields.items() if label in ("PERSON",)}
            predicted.append((surface, occurrence, label, dict({"confidence": 0.93}, **fields)))
        predicted += [(s, o, label, fields) for p, s, o, label, fields in SPURIOUS if p == number]
        task = {"text": text, "meta": meta, "tokens": tokens_of(nlp.make_doc(text)), "spans": spans_for(nlp, text, predicted)}
        tagged.append(set_hashes(dict(task, answer="accept", _view_id="ner_manual")))
    for name, records in (("gold.jsonl", gold), ("tagged.jsonl", tagged)):
        (HERE / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    for name, entries in KB.items():
        (HERE / "kb" / name).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    print(f"wrote {len(gold)} documents to {HERE}/gold.jsonl and tagged.jsonl, and {sum(map(len, KB.values()))} KB entries")


if __name__ == "__main__":
    main()
