"""Write tests/data/tagged_sample.jsonl: five tagged documents cut from the project's own corpus.

The texts are the opening paragraphs of three web captures and two passages
of the seed article, annotated by hand the way `terreur tag` writes them
(docs/tagged-format.md): PERSON with kb_id/canonical/cyrillic, DATE with EDTF
(days, a month, ranges, a season, a decade), ORG, LOC and TRIAL, and names the
knowledge base does not resolve (kb_id null, one with candidates). Offsets are
found by searching the text; tokens and token indices come from the project's
tokenizer through convert.task_to_doc/doc_to_task, and every task is checked
with convert.validate_task before it is written.

It also writes tests/data/tagged_broken.jsonl, the same documents with a
line cut off half-way (line 3) and a span with an unknown label (line 5).

Run from the repository root:  python tests/data/make_tagged_sample.py
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from pipeline.convert import doc_to_task, task_to_doc, validate_task
from pipeline.tokenizer import make_blank_dutch

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_PATH = Path(__file__).resolve().parent / "tagged_sample.jsonl"
BROKEN_PATH = Path(__file__).resolve().parent / "tagged_broken.jsonl"
# tagged_broken.jsonl: five lines, two of them bad
BROKEN_JSON_LINE = 3  # cut off half-way: not valid JSON
BROKEN_LABEL_LINE = 5  # a span labelled "PER", not a guidelines label
SEED_PATH = ROOT / "corpus" / "terror" / "seed" / "stalin-en-de-grote-terreur.txt"
TIMESTAMP = 1764180000

# A small knowledge base: kb_id -> (canonical, cyrillic)
KB = {
    "per-mikhail-tukhachevsky": ("Mikhail Tukhachevsky", "Михаил Николаевич Тухачевский"),
    "per-iona-yakir": ("Iona Yakir", "Иона Эммануилович Якир"),
    "per-ieronim-uborevich": ("Ieronim Uborevich", "Иероним Петрович Уборевич"),
    "per-robert-eideman": ("Robert Eideman", "Роберт Петрович Эйдеман"),
    "per-august-kork": ("August Kork", "Август Иванович Корк"),
    "per-vitovt-putna": ("Vitovt Putna", "Витовт Казимирович Путна"),
    "per-boris-feldman": ("Boris Feldman", "Борис Миронович Фельдман"),
    "per-vitaly-primakov": ("Vitaly Primakov", "Виталий Маркович Примаков"),
    "per-yan-gamarnik": ("Yan Gamarnik", "Ян Борисович Гамарник"),
    "per-vasili-ulrikh": ("Vasili Ulrikh", "Василий Васильевич Ульрих"),
    "per-vasily-blyukher": ("Vasily Blyukher", "Василий Константинович Блюхер"),
    "per-semyon-budyonny": ("Semyon Budyonny", "Семён Михайлович Будённый"),
    "per-alexander-yegorov": ("Alexander Yegorov", "Александр Ильич Егоров"),
    "per-yakov-alksnis": ("Yakov Alksnis", "Яков Иванович Алкснис"),
    "per-boris-shaposhnikov": ("Boris Shaposhnikov", "Борис Михайлович Шапошников"),
    "per-ivan-belov": ("Ivan Belov", "Иван Панфилович Белов"),
    "per-pavel-dybenko": ("Pavel Dybenko", "Павел Ефимович Дыбенко"),
    "per-nikolai-kashirin": ("Nikolai Kashirin", "Николай Дмитриевич Каширин"),
    "per-yelisey-goryachev": ("Yelisey Goryachev", "Елисей Иванович Горячев"),
    "per-genrikh-yagoda": ("Genrikh Yagoda", "Генрих Григорьевич Ягода"),
    "per-vyacheslav-molotov": ("Vyacheslav Molotov", "Вячеслав Михайлович Молотов"),
    "per-vyacheslav-menzhinsky": ("Vyacheslav Menzhinsky", "Вячеслав Рудольфович Менжинский"),
    "per-nikolai-yezhov": ("Nikolai Yezhov", "Николай Иванович Ежов"),
    "per-alexei-rykov": ("Alexei Rykov", "Алексей Иванович Рыков"),
    "per-innokenty-khalepsky": ("Innokenty Khalepsky", "Иннокентий Андреевич Халепский"),
    "per-joseph-stalin": ("Joseph Stalin", "Иосиф Виссарионович Сталин"),
    "per-lev-kamenev": ("Lev Kamenev", "Лев Борисович Каменев"),
    "per-grigory-zinoviev": ("Grigory Zinoviev", "Григорий Евсеевич Зиновьев"),
    "per-naftaly-frenkel": ("Naftaly Frenkel", "Нафталий Аронович Френкель"),
    "per-nikolai-bukharin": ("Nikolai Bukharin", "Николай Иванович Бухарин"),
    "per-vladimir-lenin": ("Vladimir Lenin", "Владимир Ильич Ленин"),
    "per-adolf-hitler": ("Adolf Hitler", None),
    "org-nkvd": ("NKVD", None),
    "org-ogpu": ("OGPU", None),
    "org-gulag": ("Gulag", None),
    "org-red-army": ("Red Army", None),
    "org-supreme-court-ussr": ("Supreme Court of the Soviet Union", None),
    "org-rcp-b": ("Russian Communist Party (Bolsheviks)", None),
    "loc-moscow": ("Moscow", None),
    "loc-rybinsk": ("Rybinsk", None),
    "loc-russian-empire": ("Russian Empire", None),
    "loc-russian-sfsr": ("Russian SFSR", None),
    "loc-soviet-union": ("Soviet Union", None),
    "loc-kolyma": ("Kolyma", None),
    "loc-magadan": ("Magadan", None),
    "trial-tukhachevsky-affair": ("Case of the Trotskyist Anti-Soviet Military Organization", None),
    "trial-moscow-trials": ("Moscow Trials", None),
    "trial-case-of-the-twenty-one": ("Trial of the Twenty-One", None),
}


def S(needle: str, label: str, kb_id: Optional[str] = None, *, nth: int = 0, after: str = "", **fields: Any) -> Dict[str, Any]:
    """A span to find: the nth occurrence of ``needle`` after the first occurrence of ``after``."""
    return {"needle": needle, "label": label, "kb_id": kb_id, "nth": nth, "after": after, "fields": fields}


def cut(text: str, end_marker: str) -> str:
    """The text up to and including ``end_marker``."""
    return text[: text.index(end_marker) + len(end_marker)]


def web(name: str) -> Dict[str, Any]:
    return json.loads((ROOT / "corpus" / "terror" / "web" / f"{name}.json").read_text(encoding="utf-8"))


def locate(text: str, spec: Dict[str, Any]) -> int:
    position = text.index(spec["after"]) + len(spec["after"]) if spec["after"] else 0
    for _ in range(spec["nth"] + 1):
        start = text.index(spec["needle"], position)
        position = start + 1
    return start


def build_span(text: str, spec: Dict[str, Any]) -> Dict[str, Any]:
    start = locate(text, spec)
    span: Dict[str, Any] = {"start": start, "end": start + len(spec["needle"]), "label": spec["label"], "text": spec["needle"]}
    kb_id = spec["kb_id"]
    if spec["label"] == "DATE":
        span.update({"kb_id": None, "canonical": None})
    elif kb_id is None:
        span.update({"kb_id": None, "canonical": None})
    else:
        canonical, cyrillic = KB[kb_id]
        span.update({"kb_id": kb_id, "canonical": canonical})
        if cyrillic:
            span["cyrillic"] = cyrillic
    span.setdefault("confidence", 1.0)
    span.update(spec["fields"])
    return span


def documents() -> List[Dict[str, Any]]:
    """The five documents: meta and span specs."""
    web018, web023, web032 = web("web018"), web("web023"), web("web032")
    seed = SEED_PATH.read_text(encoding="utf-8")
    seed_end_start = seed.index("Het derde en laatste publieke showproces")
    return [
        {
            "text": cut(web018["text"], "zouden de daaropvolgende zuiveringen overleven ."),
            "meta": {"source": "corpus/terror/web/web018.json", "id": "web018", "url": web018["url"], "line": None},
            "spans": [
                S("Zaak van de trotskistische anti-Sovjet-militaire organisatie", "TRIAL", "trial-tukhachevsky-affair"),
                S("Case of the Trotskyist Anti-Soviet Military Organization", "TRIAL", "trial-tukhachevsky-affair"),
                S("zaak van de trotskistische anti-Sovjet-militaire organisatie", "TRIAL", "trial-tukhachevsky-affair"),
                S("zaak Tukhachevsky", "TRIAL", "trial-tukhachevsky-affair", confidence=0.9),
                S("1937", "DATE", edtf="1937"),
                S("Rode Leger", "ORG", "org-red-army"),
                S("Michail Toechatsjevski", "PERSON", "per-mikhail-tukhachevsky"),
                S("Moskouse Showprocessen", "TRIAL", "trial-moscow-trials"),
                S("Mikhail Tukhachevsky", "PERSON", "per-mikhail-tukhachevsky"),
                S("Iona Yakir", "PERSON", "per-iona-yakir"),
                S("Ieronim Uborevich", "PERSON", "per-ieronim-uborevich"),
                S("Robert Eideman", "PERSON", "per-robert-eideman"),
                S("August Kork", "PERSON", "per-august-kork"),
                S("Vitovt Putna", "PERSON", "per-vitovt-putna"),
                S("Boris Feldman", "PERSON", "per-boris-feldman"),
                S("Vitaly Primakov", "PERSON", "per-vitaly-primakov"),
                S("Yakov Gamarnik", "PERSON", "per-yan-gamarnik", confidence=0.82),
                S("11 op 12 juni 1937", "DATE", edtf="1937-06-11/1937-06-12"),
                S("Hooggerechtshof van de USSR", "ORG", "org-supreme-court-ussr"),
                S("Vasili Ulrikh", "PERSON", "per-vasili-ulrikh"),
                S("Vasily Blyukher", "PERSON", "per-vasily-blyukher"),
                S("Semyon Budyonny", "PERSON", "per-semyon-budyonny"),
                S("Alexander Yegorov", "PERSON", "per-alexander-yegorov"),
                S("Yakov Alksnis", "PERSON", "per-yakov-alksnis"),
                S("Boris Shaposhnikov", "PERSON", "per-boris-shaposhnikov"),
                S("Ivan Panfilovich Belov", "PERSON", "per-ivan-belov"),
                S("Pavel Dybenko", "PERSON", "per-pavel-dybenko"),
                S("Nikolai Kashirin", "PERSON", "per-nikolai-kashirin"),
                S("Yelisey Goryachev", "PERSON", "per-yelisey-goryachev"),
                S("Ulrikh", "PERSON", "per-vasili-ulrikh", after="Alleen "),
                S("Budyonny", "PERSON", "per-semyon-budyonny", after="Alleen "),
                S("Shaposhnikov", "PERSON", "per-boris-shaposhnikov", after="Alleen "),
            ],
        },
        {
            "text": cut(web023["text"], "waarbij 12.000-25.000 arbeiders stierven."),
            "meta": {"source": "corpus/terror/web/web023.json", "id": "web023", "url": web023["url"], "line": None},
            "spans": [
                S("Genrikh Yagoda", "PERSON", "per-genrikh-yagoda", nth=0),
                S("Genrikh Yagoda", "PERSON", "per-genrikh-yagoda", nth=1),
                S("Genrikh Yagoda", "PERSON", "per-genrikh-yagoda", nth=2),
                S("Yagoda", "PERSON", "per-genrikh-yagoda", after="jagoda.jpg\n"),
                S("NKVD", "ORG", "org-nkvd"),
                S("10 juli 1934 - 26 september 1936", "DATE", edtf="1934-07-10/1936-09-26"),
                S("Vjatsjeslav Molotov", "PERSON", "per-vyacheslav-molotov", nth=0),
                S("Vyacheslav Menzhinsky", "PERSON", "per-vyacheslav-menzhinsky"),
                S("OGPU", "ORG", "org-ogpu"),
                S("Nikolai Jezjov", "PERSON", "per-nikolai-yezhov"),
                S("26 september 1936 – 5 april 1937", "DATE", edtf="1936-09-26/1937-04-05"),
                S("Vjatsjeslav Molotov", "PERSON", "per-vyacheslav-molotov", nth=1),
                S("Alexei Rykov", "PERSON", "per-alexei-rykov"),
                S("Innokenti Khalepski", "PERSON", "per-innokenty-khalepsky", confidence=0.91),
                S("Yenokh Gershevich Iyeguda", "PERSON", "per-genrikh-yagoda", nth=0, confidence=0.88),
                S("7 november 1891", "DATE", nth=0, edtf="1891-11-07"),
                S("Rybinsk", "LOC", "loc-rybinsk"),
                S("Russische Rijk", "LOC", "loc-russian-empire"),
                S("15 maart 1938", "DATE", nth=0, edtf="1938-03-15"),
                S("Moskou", "LOC", "loc-moscow"),
                S("Russische SFSR", "LOC", "loc-russian-sfsr"),
                S("Sovjet-Unie", "LOC", "loc-soviet-union", nth=0),
                S("Russische Communistische Partij", "ORG", "org-rcp-b", confidence=0.95),
                S("1917-1937", "DATE", edtf="1917/1937"),
                S("1914", "DATE", edtf="1914"),
                S("Genrikh Grigoryevich Yagoda", "PERSON", "per-genrikh-yagoda"),
                S("Генрих Григорьевич Ягода", "PERSON", "per-genrikh-yagoda"),
                S("Yenokh Gershevich Iyeguda", "PERSON", "per-genrikh-yagoda", nth=1, confidence=0.88),
                S("7 november 1891", "DATE", nth=1, edtf="1891-11-07"),
                S("15 maart 1938", "DATE", nth=1, edtf="1938-03-15"),
                S("NKVD", "ORG", "org-nkvd", after="directeur van de "),
                S("Sovjet-Unie", "LOC", "loc-soviet-union", nth=1),
                S("1934 tot 1936", "DATE", edtf="1934/1936"),
                S("Joseph Stalin", "PERSON", "per-joseph-stalin"),
                S("Yagoda", "PERSON", "per-genrikh-yagoda", after="Joseph Stalin , hield "),
                S("Lev Kamenev", "PERSON", "per-lev-kamenev"),
                S("Grigory Zinovjev", "PERSON", "per-grigory-zinoviev"),
                S("Yagoda", "PERSON", "per-genrikh-yagoda", after="Grote Zuivering . "),
                S("Naftaly Frenkel", "PERSON", "per-naftaly-frenkel"),
                S("GULAG", "ORG", "org-gulag"),
            ],
        },
        {
            "text": seed[: seed.index("om hem vervolgens naar Stalins datsja te brengen om het geschil te beslechten.") + 77],
            "meta": {"source": "corpus/terror/seed/stalin-en-de-grote-terreur.txt", "id": "seed-intro", "line": None},
            "spans": [
                S("Jozef Stalin", "PERSON", "per-joseph-stalin", nth=0),
                S("20 maart 2007", "DATE", edtf="2007-03-20"),
                S("26 feb 2024", "DATE", edtf="2024-02-26"),
                # the article's author: not in the knowledge base
                S("Menno Bos", "PERSON", None, confidence=None),
                S("Aleksej Navalny", "PERSON", None, confidence=None),
                S("Sovjet-Unie", "LOC", "loc-soviet-union"),
                S("1936 en 1938", "DATE", edtf="1936/1938"),
                S("Jozef Stalin", "PERSON", "per-joseph-stalin", after="De achterdocht van één man, "),
                S("Vjatsjeslav Molotov", "PERSON", "per-vyacheslav-molotov"),
                # two Kaganovich brothers in the knowledge base: ambiguous, left unresolved
                S("Lazar Kaganovitsj", "PERSON", None, confidence=0.45,
                  candidates=["per-lazar-kaganovich", "per-mikhail-kaganovich"]),
                S("Stalin", "PERSON", "per-joseph-stalin", after="oppert de wijze "),
            ],  # fmt: skip
        },
        {
            "text": seed[seed_end_start : seed.index("kwijnden weg in de werkkampen", seed_end_start) + 29],
            "meta": {"source": "corpus/terror/seed/stalin-en-de-grote-terreur.txt", "id": "seed-end", "line": None},
            "spans": [
                S("derde en laatste publieke showproces", "TRIAL", "trial-case-of-the-twenty-one", confidence=0.7),
                S("maart 1938", "DATE", edtf="1938-03"),
                S("Nikolaj Boecharin", "PERSON", "per-nikolai-bukharin"),
                S("Lenin", "PERSON", "per-vladimir-lenin"),
                S("Rykov", "PERSON", "per-alexei-rykov"),
                S("Stalin", "PERSON", "per-joseph-stalin", nth=0),
                S("Sovjet-Unie", "LOC", "loc-soviet-union", nth=0),
                S("Boecharin", "PERSON", "per-nikolai-bukharin", nth=1),
                S("Stalin", "PERSON", "per-joseph-stalin", nth=1),
                S("Boecharin", "PERSON", "per-nikolai-bukharin", nth=2),
                S("Stalin", "PERSON", "per-joseph-stalin", nth=2),
                S("Stalin", "PERSON", "per-joseph-stalin", nth=3),
                S("Boecharin", "PERSON", "per-nikolai-bukharin", nth=3),
                S("Jagoda", "PERSON", "per-genrikh-yagoda"),
                S("NKVD", "ORG", "org-nkvd", nth=0),
                S("Sovjet-Unie", "LOC", "loc-soviet-union", nth=1),
                S("Stalin", "PERSON", "per-joseph-stalin", after="een mythe dat "),
                S("Stalin", "PERSON", "per-joseph-stalin", after="kwam "),
                S("NKVD", "ORG", "org-nkvd", nth=1),
                S("Jezjov", "PERSON", "per-nikolai-yezhov", after="vervolgd. "),
                S("maart 1939", "DATE", edtf="1939-03"),
                S("Stalin", "PERSON", "per-joseph-stalin", after="maart 1939, verklaarde "),
                S("NKVD", "ORG", "org-nkvd", nth=2),
                S("Jezjov", "PERSON", "per-nikolai-yezhov", after="fouten had gemaakt. "),
                S("jaren dertig", "DATE", edtf="193X", confidence=0.8),
                S("Stalin", "PERSON", "per-joseph-stalin", after="op zijn eind. "),
                S("Hitler", "PERSON", "per-adolf-hitler"),
            ],
        },
        {
            "text": cut(web032["text"], "politieke gevangenen waren, er waren ook mensen die op grond van andere artikelen van het wetboek van strafrecht werden veroordeeld."),
            "meta": {"source": "corpus/terror/web/web032.json", "id": "web032", "url": web032["url"], "line": None},
            "spans": [
                S("Kolyma", "LOC", "loc-kolyma", nth=0),
                S("Kolyma", "LOC", "loc-kolyma", nth=1),
                # a mine that is not in the knowledge base
                S("Dneprovsky", "LOC", None, nth=0, confidence=None),
                S("Kolyma", "LOC", "loc-kolyma", nth=2),
                S("11 juli 1929", "DATE", edtf="1929-07-11"),
                S("Sovjet-Unie", "LOC", "loc-soviet-union"),
                S("Magadan", "LOC", "loc-magadan", nth=0),
                S("GULAG", "ORG", "org-gulag"),
                S("Dneprovsky", "LOC", None, nth=1, confidence=None),
                S("Magadan", "LOC", "loc-magadan", nth=1),
                S("1928", "DATE", edtf="1928"),
                S("Kolyma", "LOC", "loc-kolyma", nth=3),
                S("1931", "DATE", edtf="1931", after="Tegen "),
                S("herfst van 1931", "DATE", edtf="1931-23"),
                S("Kolyma", "LOC", "loc-kolyma", nth=4),
            ],
        },
    ]


def make_task(nlp, document: Dict[str, Any]) -> Dict[str, Any]:
    text = document["text"]
    spans = sorted((build_span(text, spec) for spec in document["spans"]), key=lambda s: s["start"])
    task = {"text": text, "meta": document["meta"], "spans": spans, "answer": "accept", "_view_id": "ner_manual",
            "_timestamp": TIMESTAMP}  # fmt: skip
    tagged = doc_to_task(task_to_doc(nlp, task))
    problems = validate_task(nlp, tagged, source=str(document["meta"]["id"]), line=None)
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems))
    # the format's key order: text, meta, hashes, tokens, spans, the rest
    order = ["text", "meta", "_input_hash", "_task_hash", "tokens", "spans", "answer", "_view_id", "_timestamp"]
    return {key: tagged[key] for key in order if key in tagged}


def main() -> None:
    nlp = make_blank_dutch()
    tasks = [make_task(nlp, document) for document in documents()]
    with OUTPUT_PATH.open("w", encoding="utf-8") as f:
        for task in tasks:
            f.write(json.dumps(task, ensure_ascii=False) + "\n")
    mentions = sum(len(t["spans"]) for t in tasks)
    print(f"wrote {len(tasks)} documents, {mentions} mentions to {OUTPUT_PATH}")
    write_broken(tasks)


def write_broken(tasks: List[Dict[str, Any]]) -> None:
    lines = [json.dumps(task, ensure_ascii=False) for task in tasks]
    truncated = lines[4][:300]  # web032: the writer died half-way through the record
    wrong = json.loads(lines[3])  # seed-end
    wrong["spans"][2]["label"] = "PER"
    broken = [lines[0], lines[1], truncated, lines[2], json.dumps(wrong, ensure_ascii=False)]
    BROKEN_PATH.write_text("\n".join(broken) + "\n", encoding="utf-8")
    print(f"wrote {BROKEN_PATH} (bad lines {BROKEN_JSON_LINE} and {BROKEN_LABEL_LINE})")


if __name__ == "__main__":
    main()
