#!/usr/bin/env python3
"""Validate the recipe collection and the shopping catalogue, and print their counts.

Usage: python3 Skills/Recipes/data/check_data.py [--quiet]

Checks, for Skills/Recipes/data/recipes-*.yaml and Skills/Shopping/data/catalogue.yaml:
  - schema: required and allowed keys, types, allowed values (cuisines, courses, diets, units, categories);
  - unique ids (products; recipes across all files), unique dish names and unique spoken names for products;
  - text meant for speech (recipe steps, product names) is plain ASCII with no symbols or unit abbreviations;
  - diet tags are consistent with the ingredients (e.g. no meat in a vegetarian recipe, no gluten in a
    gluten-free one unless the ingredient text says "gluten-free");
  - cross references: every recipe ingredient item that is not a pantry staple is a catalogue item;
  - minimum counts (recipes, vegetarian, vegan, quick recipes, cuisines, products).

Item vocabulary rule (shared by both files): an item is the lower-case name people put on a shopping list.
Countable fresh things are singular ("egg", "onion", "chicken breast", "banana"); things bought as a mass of
small pieces are named the way people say them ("canned tomatoes", "chickpeas", "peas", "oats", "prawns").
The catalogue lists the other grammatical number as an alias, so either form matches.

Every problem is printed as one line "FILE:LINE: problem"; the exit status is 1 when there is any problem,
2 when a file cannot be read at all.
"""

import glob
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover - environment problem, not a data problem
    sys.stderr.write("check_data.py: needs PyYAML (apt-get install python3-yaml, or pip install pyyaml)\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
RECIPE_GLOB = os.path.join(ROOT, "Skills", "Recipes", "data", "recipes-*.yaml")
CATALOGUE = os.path.join(ROOT, "Skills", "Shopping", "data", "catalogue.yaml")

# ------------------------------------------------------------------------------------------------ vocabularies

CATEGORIES = {"dairy", "bakery", "produce", "meat", "fish", "pantry", "frozen", "drinks", "snacks",
              "household", "personal care", "baby", "pet", "outdoor"}
PRODUCT_UNITS = {"each", "pack", "g", "kg", "ml", "litre", "bottle", "box", "bag", "can", "jar", "tub", "tube",
                 "loaf", "dozen", "roll pack", "bunch"}
CUISINES = {"italian", "mexican", "indian", "chinese", "japanese", "thai", "french", "british", "american",
            "mediterranean", "middle eastern", "korean", "spanish", "greek", "vietnamese", "moroccan",
            "caribbean", "irish", "swiss", "australian"}
COURSES = {"breakfast", "main", "side", "soup", "salad", "dessert", "snack", "drink", "baking"}
DIETS = {"vegetarian", "vegan", "gluten-free", "dairy-free"}
INGREDIENT_UNITS = {"g", "kg", "ml", "litre", "tsp", "tbsp", "clove", "can", "slice", "handful", "bunch", "sprig",
                    "stick", "sheet", "ball", "piece", "pinch", "rasher", "bulb", "bag"}
# Basics every kitchen has; only these may be marked pantry_staple (so the cross-check cannot be dodged).
PANTRY_STAPLES = {"salt", "black pepper", "water", "ice"}

# Diet rules. Items not named here are plant based, dairy free and gluten free as far as these checks go.
MEAT_FISH_CATEGORIES = {"meat", "fish"}
NOT_VEGETARIAN = {"canned tuna", "anchovies", "sardines", "fish sauce", "oyster sauce", "worcestershire sauce",
                  "gelatine", "chicken stock", "beef stock", "thai green curry paste", "thai red curry paste",
                  "kimchi"}
# Hard cheeses made with animal rennet: fine in a vegetarian recipe only when the text offers a vegetarian one.
RENNET_CHEESES = {"parmesan", "pecorino", "gruyere"}
DAIRY = {"milk", "butter", "spreadable butter", "cheddar", "cheese slices", "parmesan", "pecorino", "mozzarella",
         "feta", "halloumi", "gruyere", "paneer", "mascarpone", "ricotta", "cream cheese", "cottage cheese",
         "goat cheese", "double cream", "single cream", "clotted cream", "sour cream", "creme fraiche",
         "buttermilk", "yogurt", "custard", "puff pastry", "shortcrust pastry", "chocolate chips", "naan bread",
         "brioche", "ice cream"}
EGG = {"egg", "mayonnaise", "egg noodles", "sponge fingers", "meringue nests", "custard", "brioche"}
OTHER_ANIMAL = {"honey"}
GLUTEN = {"flour", "self-raising flour", "bread flour", "wholemeal flour", "bread", "baguette", "sourdough",
          "ciabatta", "burger buns", "pitta bread", "naan bread", "tortilla wraps", "brioche", "spaghetti",
          "penne", "pasta", "macaroni", "lasagne sheets", "linguine", "gnocchi", "egg noodles", "udon noodles",
          "instant noodles", "couscous", "bulgur wheat", "breadcrumbs", "panko breadcrumbs", "soy sauce",
          "oyster sauce", "hoisin sauce", "beer", "malt vinegar", "worcestershire sauce", "puff pastry",
          "shortcrust pastry", "filo pastry", "sponge fingers", "oats", "vegetable stock", "chicken stock",
          "beef stock", "gochujang", "miso paste", "chilli bean paste", "baking powder", "barbecue sauce",
          "baked beans", "curry powder", "cereal", "crackers"}

SPEECH_FORBIDDEN = re.compile(r"[^\x20-\x7e]|[/&%*#~<>|=_\\^`{}\[\]@$]")
UNIT_ABBREVIATION = re.compile(r"\d\s*(g|kg|mg|ml|cl|l|oz|lb|lbs|tsp|tbsp|cm|mm|c|f)\b", re.IGNORECASE)
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ITEM_NAME = re.compile(r"^[a-z][a-z' -]*[a-z]$")
MAX_STEP_CHARS = 200

# ------------------------------------------------------------------------------------------------ loading


class LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping under the key '__line__'."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class Problems:
    """Collects one-line problems, each naming the file and line."""

    def __init__(self):
        self.lines = []

    def add(self, path, line, message):
        self.lines.append(f"{os.path.relpath(path, ROOT)}:{line}: {message}")


def load_list(path, problems):
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=LineLoader)
    except OSError as error:
        sys.stderr.write(f"{os.path.relpath(path, ROOT)}: cannot read: {error.strerror}\n")
        sys.exit(2)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        sys.stderr.write(f"{os.path.relpath(path, ROOT)}:{line}: not valid YAML: {problem}\n")
        sys.exit(2)
    if not isinstance(data, list):
        problems.add(path, 1, "the file must be one YAML list")
        return []
    entries = []
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            problems.add(path, 1, f"entry {index + 1} is not a mapping")
            continue
        entries.append(entry)
    return entries


def singular(phrase):
    """Naive singular of the last word, used only to detect two items that differ just by a plural 's'."""
    words = phrase.split(" ")
    word = words[-1]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("oes", "ches", "shes", "xes", "sses")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return " ".join(words[:-1] + [word])


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_keys(entry, required, optional, path, what, problems):
    line = entry.get("__line__", 0)
    keys = set(entry) - {"__line__"}
    for key in sorted(required - keys):
        problems.add(path, line, f"{what}: missing '{key}'")
    for key in sorted(keys - required - optional):
        problems.add(path, line, f"{what}: unknown key '{key}'")


def check_entry(entry, kind, required, optional, seen, path, problems):
    """Checks the keys and the id of one product or recipe; returns its label for messages, e.g. "recipe 'x'"."""
    ident = entry.get("id")
    line = entry.get("__line__", 0)
    what = f"{kind} {ident!r}"
    check_keys(entry, required, optional, path, what, problems)
    if not isinstance(ident, str) or not KEBAB.match(ident):
        problems.add(path, line, f"{what}: id must be kebab-case (lower case letters, digits and dashes)")
    elif ident in seen:
        problems.add(path, line, f"{what}: duplicate id (first in {seen[ident]})")
    else:
        seen[ident] = f"{os.path.basename(path)} line {line}"
    return what


def check_choice(entry, key, allowed, path, what, problems):
    """Checks that entry[key] is one of the allowed values."""
    if entry.get(key) not in allowed:
        problems.add(path, entry.get("__line__", 0), f"{what}: {key} {entry.get(key)!r} is not one of "
                                                     f"{', '.join(sorted(allowed))}")


def check_speech(text, path, line, what, problems):
    if SPEECH_FORBIDDEN.search(text):
        bad = SPEECH_FORBIDDEN.search(text).group(0)
        problems.add(path, line, f"{what}: character {bad!r} does not read aloud well; write it in words")
    if UNIT_ABBREVIATION.search(text):
        problems.add(path, line, f"{what}: abbreviated unit {UNIT_ABBREVIATION.search(text).group(0)!r}; "
                                 "write the unit in words")


# ------------------------------------------------------------------------------------------------ catalogue


SEASONS = {"spring", "summer", "autumn", "winter"}


def check_advice_attributes(product, path, line, what, problems):
    """Checks the product-advice attributes: use (names), warmth (0 to 5), waterproof (bool), season (seasons)."""
    uses = product.get("use", [])
    if not isinstance(uses, list) or not all(isinstance(u, str) and u == u.strip().lower() and u for u in uses):
        problems.add(path, line, f"{what}: use must be a list of lower-case names")
    warmth = product.get("warmth")
    if warmth is not None and (not isinstance(warmth, int) or isinstance(warmth, bool) or not 0 <= warmth <= 5):
        problems.add(path, line, f"{what}: warmth must be a whole number from 0 to 5")
    if "waterproof" in product and not isinstance(product["waterproof"], bool):
        problems.add(path, line, f"{what}: waterproof must be true or false")
    seasons = product.get("season", [])
    if not isinstance(seasons, list) or not set(seasons) <= SEASONS:
        problems.add(path, line, f"{what}: season must be a list of {', '.join(sorted(SEASONS))}")


def check_catalogue(problems):
    path = CATALOGUE
    products = load_list(path, problems)
    required = {"id", "item", "name", "category", "unit", "size", "price", "repurchase_days"}
    seen_ids = {}
    spoken = {}      # spoken name (item or alias) -> item
    singulars = {}   # singular form of a spoken name -> (item, spoken name)
    items = {}       # item -> list of products, default first
    for product in products:
        line = product.get("__line__", 0)
        what = check_entry(product, "product", required, {"aliases", "use", "warmth", "waterproof", "season"}, seen_ids,
                           path, problems)
        check_advice_attributes(product, path, line, what, problems)
        item = product.get("item")
        if not isinstance(item, str) or not ITEM_NAME.match(item) or "  " in item:
            problems.add(path, line, f"{what}: item must be a lower-case name such as 'milk' or 'chicken breast'")
            continue
        items.setdefault(item, []).append(product)
        name = product.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.add(path, line, f"{what}: name must be a non-empty string")
        else:
            check_speech(name, path, line, f"{what} name", problems)
        check_choice(product, "category", CATEGORIES, path, what, problems)
        check_choice(product, "unit", PRODUCT_UNITS, path, what, problems)
        size = product.get("size")
        if not is_number(size) or size <= 0:
            problems.add(path, line, f"{what}: size must be a positive number")
        price = product.get("price")
        if not is_number(price) or price <= 0 or abs(round(price, 2) - price) > 1e-9:
            problems.add(path, line, f"{what}: price must be a positive number with at most two decimals")
        days = product.get("repurchase_days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 730:
            problems.add(path, line, f"{what}: repurchase_days must be a whole number from 1 to 730")
        aliases = product.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.add(path, line, f"{what}: aliases must be a list of strings")
            aliases = []
        if len(set(aliases)) != len(aliases):
            problems.add(path, line, f"{what}: an alias is listed twice")
        for alias in aliases:
            if alias != alias.strip().lower() or "  " in alias or not alias:
                problems.add(path, line, f"{what}: alias {alias!r} must be lower case and trimmed")
            if alias == item:
                problems.add(path, line, f"{what}: alias {alias!r} repeats the item")
        for phrase in [item] + aliases:
            owner = spoken.setdefault(phrase, item)
            if owner != item:
                problems.add(path, line, f"{what}: spoken name {phrase!r} already means item {owner!r}")
            key = singular(phrase)
            other = singulars.setdefault(key, (item, phrase))
            if other[0] != item:
                problems.add(path, line, f"{what}: {phrase!r} differs only by a plural from {other[1]!r} "
                                         f"of item {other[0]!r}")
    return products, items, spoken


# ------------------------------------------------------------------------------------------------ recipes


def check_diet(recipe, path, problems, categories):
    line = recipe.get("__line__", 0)
    what = f"recipe {recipe.get('id')!r}"
    diet = set(recipe.get("diet") or [])
    for ingredient in recipe.get("ingredients") or []:
        item = ingredient.get("item")
        text = str(ingredient.get("text", "")).lower()
        meat = categories.get(item) in MEAT_FISH_CATEGORIES or item in NOT_VEGETARIAN
        if item in {"thai green curry paste", "thai red curry paste", "kimchi"} and "vegan" in text:
            meat = False
        rennet = item in RENNET_CHEESES and "vegetarian" not in text
        if "vegetarian" in diet and (meat or rennet):
            problems.add(path, line, f"{what}: tagged vegetarian but uses {item!r}")
        if "vegan" in diet and (meat or item in DAIRY or item in EGG or item in OTHER_ANIMAL):
            problems.add(path, line, f"{what}: tagged vegan but uses {item!r}")
        if "dairy-free" in diet and item in DAIRY:
            problems.add(path, line, f"{what}: tagged dairy-free but uses {item!r}")
        if "gluten-free" in diet and item in GLUTEN and "gluten-free" not in text:
            problems.add(path, line, f"{what}: tagged gluten-free but uses {item!r} "
                                     "(say 'gluten-free' in the ingredient text if a gluten-free kind is meant)")
    if "vegan" in diet and not {"vegetarian", "dairy-free"} <= diet:
        problems.add(path, line, f"{what}: a vegan recipe must also be tagged vegetarian and dairy-free")


def check_recipes(problems, catalogue_items, spoken, categories):
    paths = sorted(glob.glob(RECIPE_GLOB))
    if not paths:
        problems.add(RECIPE_GLOB, 0, "no recipe files found")
    recipes = []
    per_file = {}
    seen_ids = {}
    seen_dishes = {}
    required = {"id", "title", "dish", "cuisine", "course", "diet", "minutes", "servings", "ingredients", "steps"}
    for path in paths:
        entries = load_list(path, problems)
        per_file[os.path.basename(path)] = len(entries)
        for recipe in entries:
            recipe["__file__"] = path
            recipes.append(recipe)
            line = recipe.get("__line__", 0)
            rid = recipe.get("id")
            what = check_entry(recipe, "recipe", required, {"__file__"}, seen_ids, path, problems)
            title = recipe.get("title")
            if not isinstance(title, str) or not title.strip():
                problems.add(path, line, f"{what}: title must be a non-empty string")
            else:
                check_speech(title, path, line, f"{what} title", problems)
            dishes = recipe.get("dish")
            if not isinstance(dishes, list) or not dishes:
                problems.add(path, line, f"{what}: dish must be a non-empty list of names")
                dishes = []
            for dish in dishes:
                if not isinstance(dish, str) or dish != dish.strip().lower() or not dish:
                    problems.add(path, line, f"{what}: dish name {dish!r} must be lower case and trimmed")
                    continue
                check_speech(dish, path, line, f"{what} dish", problems)
                owner = seen_dishes.setdefault(dish, rid)
                if owner != rid:
                    problems.add(path, line, f"{what}: dish name {dish!r} already names recipe {owner!r}")
            check_choice(recipe, "cuisine", CUISINES, path, what, problems)
            check_choice(recipe, "course", COURSES, path, what, problems)
            diet = recipe.get("diet")
            if not isinstance(diet, list) or not set(diet) <= DIETS or len(set(diet)) != len(diet):
                problems.add(path, line, f"{what}: diet must be a list of distinct values from "
                                         f"{', '.join(sorted(DIETS))}")
                recipe["diet"] = []
            minutes = recipe.get("minutes")
            if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 1440:
                problems.add(path, line, f"{what}: minutes must be a whole number from 1 to 1440")
            servings = recipe.get("servings")
            if not isinstance(servings, int) or isinstance(servings, bool) or not 1 <= servings <= 24:
                problems.add(path, line, f"{what}: servings must be a whole number from 1 to 24")
            check_ingredients(recipe, path, problems, catalogue_items, spoken)
            steps = recipe.get("steps")
            if not isinstance(steps, list) or not 3 <= len(steps) <= 8:
                problems.add(path, line, f"{what}: steps must be a list of 3 to 8 sentences")
                steps = steps if isinstance(steps, list) else []
            for number, step in enumerate(steps, start=1):
                if not isinstance(step, str) or not step.strip():
                    problems.add(path, line, f"{what}: step {number} must be a non-empty string")
                    continue
                check_speech(step, path, line, f"{what} step {number}", problems)
                if len(step) > MAX_STEP_CHARS:
                    problems.add(path, line, f"{what}: step {number} is {len(step)} characters; keep steps "
                                             f"under {MAX_STEP_CHARS} so they can be read aloud in one go")
                if not step.rstrip().endswith((".", "!", "?")):
                    problems.add(path, line, f"{what}: step {number} must end with a full stop")
            check_diet(recipe, path, problems, categories)
    return recipes, per_file


def check_ingredients(recipe, path, problems, catalogue_items, spoken):
    line = recipe.get("__line__", 0)
    what = f"recipe {recipe.get('id')!r}"
    ingredients = recipe.get("ingredients")
    if not isinstance(ingredients, list) or not ingredients:
        problems.add(path, line, f"{what}: ingredients must be a non-empty list")
        recipe["ingredients"] = []
        return
    seen = set()
    for ingredient in ingredients:
        if not isinstance(ingredient, dict):
            problems.add(path, line, f"{what}: every ingredient must be a mapping")
            continue
        iline = ingredient.get("__line__", line)
        item = ingredient.get("item")
        iwhat = f"{what} ingredient {item!r}"
        check_keys(ingredient, {"item", "text"}, {"quantity", "unit", "pantry_staple", "optional"}, path, iwhat, problems)
        if not isinstance(item, str) or not ITEM_NAME.match(item):
            problems.add(path, iline, f"{what}: ingredient item {item!r} must be a lower-case name")
            continue
        if item in seen:
            problems.add(path, iline, f"{iwhat}: listed twice; merge the two lines")
        seen.add(item)
        text = ingredient.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.add(path, iline, f"{iwhat}: text must be a non-empty string")
        quantity = ingredient.get("quantity")
        if quantity is not None and (not is_number(quantity) or quantity <= 0):
            problems.add(path, iline, f"{iwhat}: quantity must be a positive number")
        unit = ingredient.get("unit")
        if unit is not None:
            check_choice(ingredient, "unit", INGREDIENT_UNITS, path, iwhat, problems)
            if quantity is None:
                problems.add(path, iline, f"{iwhat}: a unit needs a quantity")
        staple = ingredient.get("pantry_staple", False)
        if staple not in (True, False):
            problems.add(path, iline, f"{iwhat}: pantry_staple must be true or false")
        if ingredient.get("optional", False) not in (True, False):
            problems.add(path, iline, f"{iwhat}: optional must be true or false")
        if staple and item not in PANTRY_STAPLES:
            problems.add(path, iline, f"{iwhat}: only {', '.join(sorted(PANTRY_STAPLES))} may be pantry staples")
        if not staple and item in PANTRY_STAPLES:
            problems.add(path, iline, f"{iwhat}: mark this pantry basic with 'pantry_staple: true'")
        if not staple and item not in catalogue_items:
            hint = spoken.get(item) or spoken.get(singular(item))
            advice = f"; the catalogue calls it {hint!r}" if hint else "; add a product for it"
            problems.add(path, iline, f"{iwhat}: no catalogue product has this item{advice}")


# ------------------------------------------------------------------------------------------------ report


def count_by(values):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def print_counts(label, pairs):
    print(f"{label}: " + ", ".join(f"{name} {count}" for name, count in pairs))


def uses(recipe, predicate):
    return any(predicate(i.get("item", "")) for i in recipe.get("ingredients", []) if isinstance(i, dict))


def is_chicken(item):
    return item.startswith("chicken ") and item != "chicken stock" or item == "whole chicken"


def is_rice(item):
    return item == "rice" or (item.endswith(" rice"))


EVERYDAY = {
    "chicken": is_chicken,
    "rice": is_rice,
    "pasta": lambda i: i in {"pasta", "spaghetti", "penne", "macaroni", "lasagne sheets", "linguine"},
    "egg": lambda i: i == "egg",
    "potato": lambda i: i in {"potato", "new potato", "baking potato"},
    "beans": lambda i: i.endswith(" beans") and i != "green beans" or i in {"chickpeas", "red lentils"},
    "minced beef": lambda i: i == "minced beef",
    "tofu": lambda i: i in {"tofu", "silken tofu"},
    "cheese": lambda i: i in {"cheddar", "parmesan", "mozzarella", "feta", "gruyere", "paneer", "pecorino"},
}

MINIMUMS = {"recipes": 150, "vegetarian": 40, "vegan": 15, "under 20 minutes": 20, "cuisines": 12,
            "products": 300}


def main():
    quiet = "--quiet" in sys.argv[1:]
    problems = Problems()
    products, items, spoken = check_catalogue(problems)
    categories = {item: group[0].get("category") for item, group in items.items()}
    recipes, per_file = check_recipes(problems, set(items), spoken, categories)

    recipe_items = {i.get("item") for r in recipes for i in r.get("ingredients", [])
                    if isinstance(i, dict) and not i.get("pantry_staple")}
    diets = [d for r in recipes for d in (r.get("diet") or [])]
    quick = [r for r in recipes if isinstance(r.get("minutes"), int) and r["minutes"] < 20]
    totals = {"recipes": len(recipes), "vegetarian": diets.count("vegetarian"), "vegan": diets.count("vegan"),
              "under 20 minutes": len(quick), "cuisines": len({r.get("cuisine") for r in recipes}),
              "products": len(products)}
    for name, minimum in MINIMUMS.items():
        if totals[name] < minimum:
            problems.add(CATALOGUE if name == "products" else RECIPE_GLOB, 0,
                         f"only {totals[name]} {name}; at least {minimum} are needed")
    pair_counts = {}
    for first, second in [("chicken", "rice"), ("chicken", "pasta"), ("egg", "potato"), ("minced beef", "pasta"),
                          ("beans", "rice"), ("cheese", "pasta"), ("tofu", "rice"), ("chicken", "potato")]:
        pair_counts[f"{first} + {second}"] = sum(
            1 for r in recipes if uses(r, EVERYDAY[first]) and uses(r, EVERYDAY[second]))
    if pair_counts["chicken + rice"] < 3:
        problems.add(RECIPE_GLOB, 0, "fewer than 3 recipes use both chicken and rice")

    if not quiet:
        print(f"recipes: {len(recipes)} in {len(per_file)} files ("
              + ", ".join(f"{name} {count}" for name, count in sorted(per_file.items())) + ")")
        print_counts("per cuisine", count_by(r.get("cuisine") for r in recipes))
        print_counts("per course", count_by(r.get("course") for r in recipes))
        print_counts("per diet", count_by(diets))
        print(f"under 20 minutes: {len(quick)}")
        print_counts("recipes per everyday ingredient",
                     [(name, sum(1 for r in recipes if uses(r, test))) for name, test in EVERYDAY.items()])
        print_counts("recipes per ingredient pair", list(pair_counts.items()))
        print(f"products: {len(products)}, distinct items: {len(items)}, spoken names: {len(spoken)}")
        print_counts("products per category", count_by(p.get("category") for p in products))
        print(f"recipe ingredient items: {len(recipe_items)} distinct (plus pantry staples "
              f"{', '.join(sorted(PANTRY_STAPLES))}); all in the catalogue: "
              f"{'yes' if recipe_items <= set(items) else 'no'}")
        print(f"catalogue items not used by any recipe: {len(set(items) - recipe_items)}")
    for problem in problems.lines:
        print(problem, file=sys.stderr)
    if problems.lines:
        print(f"{len(problems.lines)} problem(s) found", file=sys.stderr)
        return 1
    if not quiet:
        print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
