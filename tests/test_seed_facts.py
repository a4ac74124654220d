"""Every fact of the seed page (../shared/seed/) can be found on the site, in every language.

Each fact is a set of patterns, one per language, matched (case-insensitively) against the text of the
built pages of that language. Wording may differ from the seed: the patterns look for the fact's key
words. When a page is rewritten and a fact disappears, this test names the fact.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import LANGS, lang_prefix
from selectolax.lexbor import LexborHTMLParser

# fact: {lang: [patterns that must all match somewhere in that language's pages]}
FACTS: dict[str, dict[str, list[str]]] = {
    "self-check: interested in being a career mentor": {
        "fi": [r"kiinnostaako sinua toimia työuramentorina"],
        "sv": [r"yrkeslivsmentor"],
        "en": [r"career mentor"],
    },
    "self-check: work experience in Finland": {
        "fi": [r"työkokemusta suomesta"],
        "sv": [r"arbetserfarenhet (från|i) finland"],
        "en": [r"work experience (from|in) finland"],
    },
    "self-check: social skills": {"fi": [r"sosiaaliset taidot"], "sv": [r"sociala"], "en": [r"social skills"]},
    "self-check: a few hours a month": {
        "fi": [r"muutama tunti kuukaudessa"],
        "sv": [r"några timmar i månaden"],
        "en": [r"a few hours a month"],
    },
    "goals come from the aktori's wishes and needs": {
        "fi": [r"toiveista ja tarpeista"],
        "sv": [r"önskemål och behov"],
        "en": [r"wishes and needs"],
    },
    "before starting: skills, own development, networks": {
        "fi": [r"osaamista", r"verkosto"],
        "sv": [r"kunnande|kompetens", r"nätverk"],
        "en": [r"know-how|skills", r"networks"],
    },
    "first meeting: goals, duration, ground rules": {
        "fi": [r"tavoitteet, keston ja pelisäännöt|tavoitteista, kestosta ja pelisäännöistä"],
        "sv": [r"mål.{0,40}(längd|hur länge).{0,40}spelregler"],
        "en": [r"goals.{0,40}(duration|how long).{0,40}ground rules"],
    },
    "working phase: next topic and preparation agreed in advance": {
        "fi": [r"seuraava(n)? tapaami\w+ aihe", r"valmistautu"],
        "sv": [r"nästa träff", r"förbered"],
        "en": [r"next meeting", r"prepar"],
    },
    "ending: feedback both ways, respectfully and constructively": {
        "fi": [r"kunnioittava\w* ja rakentava\w*"],
        "sv": [r"respektfull\w* och konstruktiv\w*"],
        "en": [r"respectful\w* and constructive\w*"],
    },
    "find an aktori in your own networks, without an organisation": {
        "fi": [r"omista verkostoistasi|omasta verkostostasi|olemassa olevista verkostoistasi"],
        "sv": [r"egna nätverk"],
        "en": [r"your own network|your existing network"],
    },
    "trade unions and professional associations run mentoring": {
        "fi": [r"ammattiliit", r"ammattijärjest"],
        "sv": [r"fackförbund", r"yrkesorganisation|fackorganisation"],
        "en": [r"trade union", r"professional association"],
    },
    "about half a year": {"fi": [r"puoli vuotta"], "sv": [r"ett halvt år"], "en": [r"half a year|six months"]},
    "time also for messages, searching and preparing": {
        "fi": [r"viestitt", r"tiedon etsimi"],
        "sv": [r"meddelanden", r"söka information"],
        "en": [r"messag", r"(searching|looking) for information"],
    },
    "know the Finnish labour market": {
        "fi": [r"suomalaisia työmarkkinoita|suomalaiset työmarkkinat"],
        "sv": [r"arbetsmarknaden i finland|finländska arbetsmarknaden"],
        "en": [r"finnish labour market"],
    },
    "not responsible for the aktori finding a job": {
        "fi": [r"et ole vastuussa"],
        "sv": [r"ansvarar inte|inte ansvarig"],
        "en": [r"not responsible"],
    },
    "a relationship may end early; tell the organiser": {
        "fi": [r"kesken", r"järjestäjä"],
        "sv": [r"avsluta.{0,40}(i förtid|tidigare)|i förtid", r"arrangör"],
        "en": [r"end.{0,30}early", r"organiser"],
    },
    "any language; Finnish, Swedish or English; support language": {
        "fi": [r"millä kielellä tahansa", r"tukikie"],
        "sv": [r"vilket språk som helst", r"stödspråk"],
        "en": [r"any language", r"support language"],
    },
    "MESH project (ESR 2019–2021)": {
        "fi": [r"MESH", r"2019", r"2021", r"ESR|Euroopan sosiaalirahasto"],
        "sv": [r"MESH", r"2019", r"2021", r"ESF|socialfonden"],
        "en": [r"MESH", r"2019", r"2021", r"ESF|Social Fund"],
    },
    "the materials are free to use": {
        "fi": [r"vapaasti"],
        "sv": [r"fritt"],
        "en": [r"free to use|freely"],
    },
}


def language_text(site: Path, lang: str) -> str:
    root = site / lang_prefix(lang)
    texts = []
    for page in root.rglob("index.html"):
        rel = page.relative_to(site).parts
        if lang == LANGS[0] and rel[0] in LANGS[1:]:
            continue
        article = LexborHTMLParser(page.read_text(encoding="utf-8")).css_first("article")
        if article is not None:
            texts.append(article.text(separator=" "))
    return re.sub(r"\s+", " ", " ".join(texts))


@pytest.mark.parametrize("lang", LANGS)
def test_every_seed_fact_is_on_the_site(site_dir: Path, lang: str) -> None:
    text = language_text(site_dir, lang)
    missing = [
        f"{fact}: /{pattern}/"
        for fact, patterns in FACTS.items()
        for pattern in patterns[lang]
        if not re.search(pattern, text, re.I)
    ]
    assert missing == [], "\n".join(missing)
