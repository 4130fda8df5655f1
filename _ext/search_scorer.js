/* Search ranking for the book (html_search_scorer in _config.yml).
 * Sphinx's default weights, plus one rule: a page whose own title contains the
 * query ranks above pages that only have it in a section title, so a search
 * for "sigmoid" opens with the sigmoid chapter, not with a later chapter's
 * section "The sigmoid is a two-class softmax". */
var Scorer = {
  score: (result) => {
    const [, title, , , score] = result;
    const query = (new URLSearchParams(window.location.search).get("q") || "")
      .toLowerCase().trim();
    const pageTitle = title.split(" > ")[0].toLowerCase();
    const own = query && !title.includes(" > ") && pageTitle.includes(query);
    return own ? score + 20 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
