// The models the demo trains: one entry per model class the package exports. An entry names the class,
// the settings the page offers (empty fields keep the library's defaults), and how to read its scores.
// A class the package does not export (yet) is left out of the selector, so adding a model is one entry.

const factors = { key: 'factors', label: 'factors', kind: 'int', min: 1, max: 1024 };
const iterations = { key: 'iterations', label: 'iterations', kind: 'int', min: 1, max: 1000 };
const lambda = { key: 'regularization', label: 'λ', kind: 'number', min: 0 };
const learningRate = { key: 'learningRate', label: 'learning rate', kind: 'number', min: 0 };

/**
 * `cls`: the export's name; `fields`: the settings shown (key = the option's name); `extra`: options the
 * demo always passes (none changes the model); `fitted`: getters of values a fit derives (option → getter);
 * `iterative`: fit reports each iteration; `fits(info)`: why the model does not fit the loaded data (a
 * string) or nothing; `scale`: what a score means.
 */
export const MODELS = [
  {
    key: 'implicit-als',
    label: 'ImplicitALS',
    cls: 'ImplicitALS',
    about: 'implicit-feedback ALS (Hu, Koren & Volinsky 2008)',
    fields: [
      factors,
      iterations,
      lambda,
      { key: 'alpha', label: 'α', kind: 'number', min: 0 },
      { key: 'confidence', label: 'confidence', kind: 'select', choices: ['linear', 'log'] },
    ],
    // The loss curve of the plot; it does not change the factors (it is computed after each iteration).
    extra: { calculateTrainingLoss: true },
    iterative: true,
    scale: 'predicted preference x·y: about 1 for items like those the user has, about 0 for the rest',
  },
  {
    key: 'als',
    label: 'ALS',
    cls: 'ALS',
    about: 'explicit ALS on ratings, with biases (predicts the rating, not what the user picks: ranks low by design)',
    fields: [factors, iterations, lambda],
    iterative: true,
    fits: (info) =>
      info.binary ? 'ALS predicts ratings: this data has one value only (use ImplicitALS for 0/1 data)' : undefined,
    scale: 'predicted rating, in the data’s own units',
  },
  {
    key: 'puresvd',
    label: 'PureSVD',
    cls: 'PureSVD',
    about: 'truncated SVD of the interaction matrix (Cremonesi et al. 2010)',
    fields: [factors],
    iterative: false,
    scale: 'the user’s row projected on the top item directions (r·V·Vᵀ), in the data’s units',
  },
  {
    key: 'bpr',
    label: 'BPR',
    cls: 'BPR',
    about: 'Bayesian Personalized Ranking: pairwise SGD (Rendle et al. 2009)',
    fields: [factors, iterations, learningRate, lambda],
    iterative: true,
    scale: 'x·y + item bias, trained only to order items: the values have no unit',
  },
  {
    key: 'lmf',
    label: 'LogisticMF',
    cls: 'LogisticMF',
    about: 'logistic matrix factorization with AdaGrad (Johnson 2014)',
    fields: [factors, iterations, learningRate, lambda],
    iterative: true,
    scale: 'log-odds that the user interacts with the item',
  },
  // ItemKNN and EASE are listed as soon as the package exports them (the lead merges them from their branch).
  {
    key: 'item-knn',
    label: 'ItemKNN',
    cls: 'ItemKNN',
    about: 'item–item nearest neighbours',
    fields: [
      { key: 'neighbors', label: 'neighbors', kind: 'int', min: 1 },
      { key: 'weighting', label: 'weighting', kind: 'select', choices: ['cosine', 'tfidf', 'bm25', 'none'] },
    ],
    iterative: false,
    scale: 'sum of the item’s similarities to the user’s items',
  },
  {
    key: 'ease',
    label: 'EASE',
    cls: 'EASE',
    about: 'closed-form linear item model (Steck 2019)',
    fields: [lambda],
    // λ derived from the data (option null): the fitted model says which it used.
    fitted: { regularization: 'fittedRegularization' },
    iterative: false,
    scale: 'the user’s row times the learned item weights B',
  },
];

/** The entries whose class `lib` (the package's exports) has. */
export function availableModels(lib) {
  return MODELS.filter((m) => typeof lib[m.cls] === 'function');
}

/** A count with its noun: "1 item", "3 items". */
export function plural(n, noun, nouns = `${noun}s`) {
  return `${n} ${n === 1 ? noun : nouns}`;
}
