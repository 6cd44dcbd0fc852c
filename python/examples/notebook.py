# %% [markdown]
# # growthcast in a notebook
#
# Generative-AI users in China: four figures, one of them derived. We check a claim the
# documents make, fit the users with the population as a known ceiling, and plot the
# recommended projection's band with matplotlib from the returned DataFrame.
#
# Run as a script (`python python/examples/notebook.py [chart.png]`) or cell by cell in
# Jupyter or VS Code (the `# %%` markers).

# %%
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed; in Jupyter, drop this line
import matplotlib.pyplot as plt
import pandas as pd

import growthcast as gc

DATA = Path(__file__).resolve().parents[2] / "data"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("users_recommended.png")

users = gc.read_csv(DATA / "genai_users.csv")
tokens = gc.read_csv(DATA / "tokens_daily.csv")
print(users[["ds", "y", "kind"]])

# %% [markdown]
# ## A claim: "more than 300x in 1.5 years" (daily tokens)

# %%
claims = pd.read_csv(DATA / "claims.csv")
verdicts = gc.check_claims(claims[claims.series == "tokens_daily"], tokens)
print(verdicts[["claim", "verdict"]].to_string(index=False))
check = gc.check_multiple(1e11, 3e13, 300, end_kind="at_least", claimed_kind="at_least")
print(check)
assert check.verdict == "holds"

# %% [markdown]
# ## The users, with the population (1.41e9) as a known ceiling
#
# Four points cannot find a ceiling: fix it at the population and fit the rest; then compare
# every model that respects it and take the recommended projection across them.

# %%
POPULATION = 1.41e9
fit = gc.fit(users, "logistic", fix={"K": POPULATION})
print(fit.summary("2030-12-31"))
print(fit.params[["parameter", "estimate", "std_error", "lower", "upper"]])

comparison = gc.compare(users, "2030-12-31", ceiling_at_most=POPULATION,
                        ceiling_name="population 1.41e9")
print(comparison.recommendation["statement"])
band = comparison.recommended
print(band[["ds", "yhat", "conf_lower", "conf_upper", "yhat_lower", "yhat_upper"]].tail(3))

# %% [markdown]
# ## The recommended band, drawn from the DataFrame

# %%
fig, ax = plt.subplots(figsize=(9, 5))
ax.fill_between(band.ds, band.yhat_lower, band.yhat_upper, alpha=0.15, color="C0",
                label="where a new figure may land (95%)")
ax.fill_between(band.ds, band.conf_lower, band.conf_upper, alpha=0.35, color="C0",
                label="95% band across the plausible models")
rec = comparison.recommendation
point = next(m["label"] for m in rec["members"] if m["id"] == rec["point"])
ax.plot(band.ds, band.yhat, color="C0", label=f"recommended path: {point}")
observed = band.dropna(subset=["y"])
ax.scatter(observed.ds, observed.y, color="k", zorder=3, label="observed")
ax.axhline(POPULATION, color="grey", linestyle=":", label="population 1.41e9")
ax.set_yscale("log")
ax.set_ylim(1e8, 3e9)
ax.set_title("Generative-AI users in China")
ax.legend(loc="lower right", fontsize=8)
fig.savefig(OUT, dpi=100)
print(f"wrote {OUT}")
