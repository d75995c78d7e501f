#!/usr/bin/env python3
"""Write the recipes skill's `ingredient` and `dish` lists into intents/en.yaml from the recipe data.

Usage: python3 Skills/Recipes/data/generate_lists.py [--check]

The lists are generated (not built at run time) so that the speech recogniser's grammar, the matcher and the
skill's tests all see the same words. They replace the text between the BEGIN/END GENERATED LISTS markers at the
end of intents/en.yaml. With --check nothing is written; the exit status is 1 when the file is out of date.

  ingredient: every non-staple item of recipes-*.yaml, the groups and aliases of ingredient-words.yaml, each in
              singular and plural ("egg" / "eggs"); out = the item, or the group's name for a group.
  dish:       every recipe's dish names, plus the singular of a plural last word ("pancakes" -> "pancake")
              unless another recipe claims it; out = the recipe id.

The plural rules here are the same as `IngredientWords.variants` in the skill's Swift code; a Swift test checks
that the two agree on every value.
"""

import glob
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = os.path.join(HERE, "..", "intents", "en.yaml")
BEGIN = "  # BEGIN GENERATED LISTS (data/generate_lists.py; do not edit by hand)\n"
END = "  # END GENERATED LISTS\n"


def singular(word):
    if word.endswith("llies"):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("leaves"):
        return word[:-3] + "f"
    if word.endswith(("oes", "ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return None


def plural(word):
    if word.endswith("s"):
        return None
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("leaf"):
        return word[:-1] + "ves"
    if word.endswith(("ch", "sh", "x", "z", "o")):
        return word + "es"
    return word + "s"


def spoken(phrase):
    """The phrase as it is said: lower case, hyphens as spaces."""
    return " ".join(phrase.lower().replace("-", " ").split())


def variants(phrase, with_plural=True):
    words = spoken(phrase).split(" ")
    result = [" ".join(words)]
    last = words[-1]
    for other in (singular(last), plural(last) if with_plural else None):
        if other and other != last:
            result.append(" ".join(words[:-1] + [other]))
    return result


def fail(message):
    sys.stderr.write(f"generate_lists.py: {message}\n")
    sys.exit(1)


def load():
    recipes = []
    for path in sorted(glob.glob(os.path.join(HERE, "recipes-*.yaml"))):
        with open(path, encoding="utf-8") as handle:
            recipes += yaml.safe_load(handle)
    with open(os.path.join(HERE, "ingredient-words.yaml"), encoding="utf-8") as handle:
        words = yaml.safe_load(handle)
    return recipes, words


def ingredient_values(recipes, words):
    items = sorted({i["item"] for r in recipes for i in r["ingredients"] if not i.get("pantry_staple")})
    known = set(items)
    owner = {}   # spoken phrase -> out
    order = []   # outs in first-seen order

    def claim(phrase, out, what):
        for form in variants(phrase):
            if owner.setdefault(form, out) != out:
                fail(f"{what}: '{form}' already means '{owner[form]}'")
        if out not in order:
            order.append(out)

    for name, members in (words.get("groups") or {}).items():
        for member in members:
            if member not in known:
                fail(f"group '{name}': no recipe uses item '{member}'")
        claim(name, name, f"group '{name}'")
    for item in items:
        if spoken(item) in owner and owner[spoken(item)] != item:
            continue  # a group of the same name covers it ("rice")
        claim(item, item, f"item '{item}'")
    for item, aliases in (words.get("aliases") or {}).items():
        if item not in known:
            fail(f"aliases: no recipe uses item '{item}'")
        for alias in aliases or []:
            claim(alias, item, f"alias '{alias}' of '{item}'")
    by_out = {}
    for form, out in owner.items():
        by_out.setdefault(out, []).append(form)
    # Most used first (then alphabetical): a recognizer may keep only the first values of a long list, and those
    # should be what people cook with most (chicken, onion, garlic), not the alphabet's first (almonds, anchovies).
    groups = words.get("groups") or {}
    uses = {out: sum(1 for r in recipes if any(i["item"] in groups.get(out, [out]) for i in r["ingredients"]))
            for out in order}
    return [(by_out[out], out) for out in sorted(order, key=lambda out: (-uses[out], out))]


def dish_values(recipes):
    claimed = {spoken(d): r["id"] for r in recipes for d in r["dish"]}
    values = []
    for recipe in recipes:
        forms = []
        for dish in recipe["dish"]:
            for form in variants(dish, with_plural=False):
                if claimed.setdefault(form, recipe["id"]) == recipe["id"] and form not in forms:
                    forms.append(form)
        values.append((forms, recipe["id"]))
    return sorted(values, key=lambda pair: pair[1])


def quote(text):
    return '"' + text.replace('"', '\\"') + '"'


def render(ingredients, dishes):
    lines = [BEGIN, "  ingredient:\n", "    multiple: true\n", "    values:\n"]
    for forms, out in ingredients:
        lines.append(f"      - {{ in: {quote('(' + ' | '.join(forms) + ')')}, out: {quote(out)} }}\n")
    lines += ["  dish:\n", "    values:\n"]
    for forms, out in dishes:
        lines.append(f"      - {{ in: {quote('(' + ' | '.join(forms) + ')')}, out: {quote(out)} }}\n")
    lines.append(END)
    return "".join(lines)


def main():
    recipes, words = load()
    ingredients = ingredient_values(recipes, words)
    dishes = dish_values(recipes)
    generated = render(ingredients, dishes)
    with open(INTENTS, encoding="utf-8") as handle:
        text = handle.read()
    if BEGIN not in text or END not in text:
        fail(f"{os.path.relpath(INTENTS)}: no BEGIN/END GENERATED LISTS markers under 'lists:'")
    start = text.index(BEGIN)
    end = text.index(END) + len(END)
    updated = text[:start] + generated + text[end:]
    if "--check" in sys.argv[1:]:
        if updated != text:
            fail(f"{os.path.relpath(INTENTS)} is out of date; run generate_lists.py")
        return 0
    with open(INTENTS, "w", encoding="utf-8") as handle:
        handle.write(updated)
    print(f"{os.path.relpath(INTENTS)}: {len(ingredients)} ingredient values, {len(dishes)} dish values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
