"""Pools the scores and labels of several audited blind months: recall and false alarms at the default threshold,
the best recall at <= 1/2/5/10 % false alarms, ROC AUC, per pattern, and the largest share of fabricated visits
holding one score value (how graded the scores are), and per rep (the same rep id across the months). Usage: python3 pool.py DIR SEED..."""
import json
import sys
from collections import Counter, defaultdict


def auc(fab, gen):
    if not fab or not gen:
        return None
    wins = sum((g > f) + 0.5 * (g == f) for f in fab for g in gen)
    return wins / (len(fab) * len(gen))


def recall_at(fab, gen, max_fa):
    best = 0.0
    for threshold in range(0, 102):
        fa = sum(g < threshold for g in gen) / len(gen)
        if fa <= max_fa:
            best = max(best, sum(f < threshold for f in fab) / len(fab))
    return best


def main():
    root, seeds = sys.argv[1], sys.argv[2:]
    fab, gen, by_pattern = [], [], defaultdict(list)
    by_rep = defaultdict(lambda: ([], []))
    for seed in seeds:
        scores = json.load(open(f"{root}/{seed}/scores.json"))
        labels = json.load(open(f"{root}/{seed}/labels.json"))
        with open(f"{root}/{seed}/visits.jsonl") as lines:
            rep_of = {v["id"]: v.get("rep_id") for v in map(json.loads, filter(str.strip, lines))}
        for vid, label in labels.items():
            if vid not in scores:
                continue
            s = scores[vid]["score"]
            rep = by_rep[rep_of.get(vid)]
            if label["fabricated"]:
                fab.append(s)
                by_pattern[label["pattern"]].append(s)
                rep[0].append(s)
            else:
                gen.append(s)
                rep[1].append(s)
    print(f"months {len(seeds)}, visits {len(fab) + len(gen)}, fabricated {len(fab)}")
    print(f"at threshold 50: recall {sum(f < 50 for f in fab) / len(fab):.1%}, "
          f"false alarms {sum(g < 50 for g in gen) / len(gen):.1%}, AUC {auc(fab, gen):.3f}")
    print("best recall at <= 1/2/5/10 % false alarms: "
          + ", ".join(f"{recall_at(fab, gen, x):.1%}" for x in (0.01, 0.02, 0.05, 0.10)))
    top = Counter(fab).most_common(1)[0]
    print(f"most common fabricated score {top[0]}: {top[1] / len(fab):.1%} of fabricated visits")
    for pattern, scores in sorted(by_pattern.items()):
        print(f"  {pattern:<16} n={len(scores):<4} recall@50 {sum(s < 50 for s in scores) / len(scores):6.1%} "
              f"AUC {auc(scores, gen):.3f}")
    for rep, (rep_fab, rep_gen) in sorted(by_rep.items(), key=lambda r: str(r[0])):
        rec = sum(s < 50 for s in rep_fab) / max(len(rep_fab), 1)
        fa = sum(g < 50 for g in rep_gen) / max(len(rep_gen), 1)
        rep_auc = auc(rep_fab, rep_gen)
        print(f"  rep {rep!s:<12} n={len(rep_fab) + len(rep_gen):<5} fabricated {len(rep_fab):<4} recall@50 {rec:6.1%} "
              f"false alarms {fa:5.1%} AUC " + (f"{rep_auc:.3f}" if rep_auc is not None else "-"))


if __name__ == "__main__":
    main()
