"""Seed rows for the self-assessment page (data/self_assessment/*.csv), from 002 and 001.

`load_self_assessment_documents` loads what the October 2016 self-assessment gives: its domains,
the strengths and areas for improvement it records under each (cited to their section), the peer
challenge recommendation (001) that answers each area where one does, and the KPIs that evidence
each domain. `load_self_assessment_illustrative` loads the yearly risk ratings: the document rates
no domain, so every rating is flagged illustrative. Both need data/seed (KPIs, recommendations)
loaded first. Every load skips rows already there, so loading again changes nothing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy.orm import Session

from dashboard import models as m
from dashboard.config import SEED_DIR
from dashboard.seed_transition import SeedRowError, _find, _one, load_kpi_rows, read_rows, yes

SELF_ASSESSMENT_DIR = SEED_DIR.parent / "self_assessment"


def load_self_assessment_documents(session: Session, seed_dir: Path = SELF_ASSESSMENT_DIR) -> Counter:
    """Domains, findings (with the recommendation answering each), domain ↔ KPI links, and the
    hospital assessments of the front door (Performance Details)."""
    added = load_kpi_rows(session, seed_dir, illustrative=False)
    domains: dict[str, m.SelfAssessmentDomain] = {}
    for _where, row in read_rows(seed_dir / "domains.csv"):
        found = _find(session, m.SelfAssessmentDomain, key=row["key"])
        if found is not None:
            domains[row["key"]] = found
            continue
        domain = m.SelfAssessmentDomain(
            key=row["key"],
            name=row["name"],
            scope=row.get("scope", ""),
            sort_order=int(row["sort_order"]),
            source=row["source"],
        )
        domains[row["key"]] = domain
        session.add(domain)
        added["self_assessment_domains"] += 1
    session.flush()
    for where, row in read_rows(seed_dir / "findings.csv"):
        if row["domain"] not in domains or row["kind"] not in m.FINDING_KINDS:
            raise SeedRowError(f"{where}: unknown domain or kind")
        if _find(session, m.SelfAssessmentFinding, domain_id=domains[row["domain"]].id, text=row["text"]):
            continue
        number = row.get("recommendation", "")
        session.add(
            m.SelfAssessmentFinding(
                domain=domains[row["domain"]],
                kind=row["kind"],
                text=row["text"],
                recommendation=_one(session, m.Recommendation, where, number=number) if number else None,
                sort_order=int(row.get("sort_order") or 0),
                source=row["source"],
            )
        )
        added["self_assessment_findings"] += 1
    for where, row in read_rows(seed_dir / "domain_kpis.csv"):
        if row["domain"] not in domains:
            raise SeedRowError(f"{where}: unknown domain {row['domain']!r}")
        kpi = _one(session, m.Kpi, where, code=row["kpi"])
        if kpi not in domains[row["domain"]].kpis:
            domains[row["domain"]].kpis.append(kpi)
            added["self_assessment_domain_kpis"] += 1
    session.flush()
    return added


def load_self_assessment_illustrative(session: Session, seed_dir: Path = SELF_ASSESSMENT_DIR) -> Counter:
    """The risk rating of each domain in 2016 and 2017, all illustrative (002 rates no domain)."""
    added: Counter = Counter()
    for where, row in read_rows(seed_dir / "ratings.csv"):
        if row["rating"] not in m.SELF_ASSESSMENT_RATINGS:
            raise SeedRowError(f"{where}: unknown rating {row['rating']!r}")
        domain = _one(session, m.SelfAssessmentDomain, where, key=row["domain"])
        if _find(session, m.SelfAssessmentRating, domain_id=domain.id, year=int(row["year"])) is not None:
            continue
        session.add(
            m.SelfAssessmentRating(
                domain=domain,
                year=int(row["year"]),
                rating=row["rating"],
                commentary=row.get("commentary", ""),
                source=row.get("source") or "illustrative",
                illustrative=yes(row.get("illustrative", "")),
                illustrative_note=row.get("illustrative_note") or None,
            )
        )
        added["self_assessment_ratings"] += 1
    session.flush()
    return added
