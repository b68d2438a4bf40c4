"""Counter-data for the identity-term bias (in the spirit of Dixon et al. 2018), written for
Tribune: template sentences about the same groups that are hostile, neutral, positive,
negated or counter-speech, in English and French, so that an identity word alone does not
push `identity_attack`, and so that negation and quoting have examples to learn from.

Every sentence here is generated from the lists below (no external data). The rows are
TRAIN-ONLY (prepare_data.py never puts them in the validation split), so validation
numbers stay comparable with earlier models. tests/fixtures/classifier/functional_cases.tsv is a
separate, hand-written test file: nothing here is taken from it, and it is never trained on.

Python standard library only; deterministic (seeded sampling).
"""
import os
import random

SEED = "tribune-counter-data-v1"
# The round-two frames below (issue 12); TRIBUNE_COUNTER_V1=1 leaves them out (to measure them).
ROUND_TWO = os.environ.get("TRIBUNE_COUNTER_V1") != "1"

# (plural noun phrase, singular noun phrase with article, adjective) per group.
GROUPS_EN = [
    ("women", "a woman", "female"), ("Muslims", "a Muslim", "Muslim"), ("Jews", "a Jew", "Jewish"),
    ("Black people", "a Black person", "Black"), ("immigrants", "an immigrant", "immigrant"),
    ("refugees", "a refugee", "refugee"), ("gay people", "a gay man", "gay"),
    ("lesbians", "a lesbian", "lesbian"), ("trans people", "a trans woman", "trans"),
    ("disabled people", "a disabled person", "disabled"), ("Asians", "an Asian person", "Asian"),
    ("Arabs", "an Arab", "Arab"), ("Mexicans", "a Mexican", "Mexican"), ("Christians", "a Christian", "Christian"),
    ("Hindus", "a Hindu", "Hindu"), ("Roma", "a Roma person", "Roma"), ("migrants", "a migrant", "migrant"),
    ("bisexual people", "a bisexual person", "bisexual"), ("Africans", "an African", "African"),
    ("Latinos", "a Latino", "Latino"),
]

NEG_NOUNS_EN = ["vermin", "parasites", "animals", "rats", "scum", "a disease", "criminals", "trash",
                "cockroaches", "a plague", "subhuman", "savages", "filth", "a cancer", "terrorists",
                "rapists", "thieves", "invaders", "thugs", "freaks", "monsters", "degenerates", "perverts",
                "pigs", "a burden", "an abomination", "leeches", "idiots"]
NEG_ADJ_EN = ["disgusting", "worthless", "dangerous", "stupid", "inferior", "evil", "dirty", "violent",
              "lazy", "pathetic", "primitive", "greedy", "sneaky", "unnatural", "mentally ill", "weak",
              "ugly", "useless", "sick", "backward", "dishonest"]
POS_ADJ_EN = ["kind", "wonderful", "brilliant", "generous", "hard-working", "funny", "talented",
              "welcoming", "smart", "lovely"]
THREAT_VP_EN = ["kill", "shoot", "hang", "beat up", "burn", "get rid of", "wipe out", "hurt"]

HATE_EN = [
    "{G} are {nn}.", "All {g} are {adj}.", "I hate {g}.", "{G} are so {adj}.",
    "Why are {g} always so {adj}?", "I think {g} are {nn}.", "In my opinion {g} are {adj}.",
    "Honestly, {g} are nothing but {nn}.", "{G} should not be allowed in our country.",
    "Never trust {s}.", "{G} make me sick.", "We would be better off without {g}.",
    "You can't expect anything else from {g}, they are {nn}.", "Isn't it obvious that {g} are {adj}?",
    "Typical {a} behaviour, {adj} as always.", "{G} are a burden on everyone.",
    "I don't want {g} living next to me.", "Being {s} is a mental illness.",
    "{G} are ruining everything.", "Of course the {a} guy is {adj}.",
]
THREAT_EN = [
    "I will {v} every one of those {g}.", "{G} deserve to be shot.", "Someone should {v} all the {g}.",
    "We need to {v} {g} before it is too late.", "I'm going to {v} the next {a} person I see.",
    "All {g} should be executed.", "Let's {v} the {g} in this town.",
]
NEUTRAL_EN = [
    "I am {s}.", "My neighbour is {s}.", "There are many {g} in my city.", "{G} live all over the world.",
    "Are there any {g} speaking at the conference?", "What rights do {g} have here?",
    "How many {g} work in this company?", "My best friend is {s}.", "She is {s} and a doctor.",
    "The panel will discuss the history of {g}.", "Will the new policy affect {g}?",
    "As {s}, I have a question about the schedule.", "The report counts {g} in the region.",
    "My {a} colleague asked the same question.", "Is the event accessible to {g}?",
]
POSITIVE_EN = [
    "{G} are {pos}.", "I love {g}.", "My {a} neighbours are the {pos_sup} people I know.",
    "{G} make our society better.", "We should welcome {g}.", "{G} deserve respect like everyone else.",
    "I am proud to be {s}.", "Thank you to all the {a} volunteers, you are {pos}!",
    "{G} have enriched our culture.", "Some of the {pos_sup} people I know are {g}.",
]
NEGATED_EN = [
    "{G} are not {nn}.", "{G} are not {adj}.", "I don't think {g} are {adj}.",
    "It is wrong to call {g} {nn}.", "No one should say that {g} are {nn}.",
    "Stop calling {g} {nn}.", "I would never say that {g} are {adj}.",
    "It's not true that {g} are {adj}.", "I don't hate {g}.", "Nobody should hate {g}.",
    "{G} are never {adj}, that is a lie.", "There is nothing wrong with being {s}.",
    "I don't want anyone to hurt {g}.", "No one deserves to be attacked for being {s}.",
    "{G} aren't {nn}.", "It's a myth that {g} are {adj}.", "Don't call {g} {nn}.",
    "I disagree that {g} are {adj}.", "Claims that {g} are {nn} are false.",
    "{G} are not {adj} at all.", "Nobody I know thinks {g} are {nn}.",
]
COUNTER_EN = [
    "Saying that {g} are {nn} is hateful and wrong.", "If you call {g} \"{nn}\", you are the problem.",
    "\"{G} are {nn}\" is exactly the kind of hate we must reject.",
    "People who say {g} are {adj} should be ashamed.",
    "When someone says \"{g} are {adj}\", they are spreading lies.",
    "Calling {g} {nn} is disgusting; they are our neighbours.",
    "I'm tired of hearing that {g} are {nn}. It is simply not true.",
    "The comment that {g} are {adj} was rightly removed.",
    "Statements like \"I hate {g}\" have no place here.",
]

# French: (plural with article, singular with article, plural noun without article).
GROUPS_FR = [
    ("les femmes", "une femme", "femmes"), ("les musulmans", "un musulman", "musulmans"),
    ("les juifs", "un juif", "juifs"), ("les Noirs", "un Noir", "Noirs"),
    ("les immigrés", "un immigré", "immigrés"), ("les réfugiés", "un réfugié", "réfugiés"),
    ("les homosexuels", "un homosexuel", "homosexuels"), ("les gays", "un gay", "gays"),
    ("les lesbiennes", "une lesbienne", "lesbiennes"), ("les personnes trans", "une personne trans", "personnes trans"),
    ("les handicapés", "un handicapé", "handicapés"), ("les Arabes", "un Arabe", "Arabes"),
    ("les Asiatiques", "un Asiatique", "Asiatiques"), ("les Roms", "un Rom", "Roms"),
    ("les migrants", "un migrant", "migrants"), ("les chrétiens", "un chrétien", "chrétiens"),
    ("les Africains", "un Africain", "Africains"), ("les étrangers", "un étranger", "étrangers"),
]
NEG_NOUNS_FR = ["des parasites", "des animaux", "des rats", "des déchets", "une maladie", "des criminels",
                "de la vermine", "des sous-hommes", "des sauvages", "une plaie", "un cancer", "des ordures",
                "des terroristes", "des violeurs", "des voleurs", "des envahisseurs", "des racailles",
                "des monstres", "des dégénérés", "des pervers", "des porcs", "un fardeau", "des sangsues",
                "des abrutis"]
NEG_ADJ_FR = ["dégoûtants", "inférieurs", "dangereux", "stupides", "sales", "violents", "paresseux",
              "nuls", "débiles", "primitifs", "avares", "sournois", "malades", "faibles", "laids",
              "inutiles", "arriérés", "malhonnêtes"]
POS_ADJ_FR = ["gentils", "formidables", "brillants", "généreux", "courageux", "drôles", "talentueux",
              "accueillants"]
THREAT_VP_FR = ["tuer", "abattre", "pendre", "frapper", "brûler", "éliminer", "dégager"]

HATE_FR = [
    "{G} sont {nn}.", "Tous {g} sont {adj}.", "Je déteste {g}.", "{G} sont tellement {adj}.",
    "Pourquoi {g} sont-ils si {adj} ?", "Je pense que {g} sont {nn}.", "À mon avis, {g} sont {adj}.",
    "{G} ne sont que {nn}.", "{G} n'ont rien à faire dans notre pays.", "Il ne faut jamais faire confiance à {s}.",
    "{G} me dégoûtent.", "On serait mieux sans {g}.", "{G}, c'est {nn}, point.",
    "C'est évident que {g} sont {adj}, non ?", "{G} détruisent notre pays.",
    "Je ne veux pas de {p} dans mon quartier.", "{G} sont un fardeau pour tout le monde.",
    "Franchement {g} sont {adj}.", "Encore un coup des {p}, toujours aussi {adj}.",
]
THREAT_FR = [
    "Je vais {v} tous {g}.", "Il faut {v} {g}.", "{G} méritent d'être abattus.",
    "Quelqu'un devrait {v} tous ces {p}.", "On va {v} le prochain {p1} qu'on croise.",
    "Il faudrait {v} {g} avant qu'il soit trop tard.",
]
NEUTRAL_FR = [
    "Je suis {s}.", "Mon voisin est {s}.", "Il y a beaucoup de {p} dans ma ville.",
    "{G} vivent partout dans le monde.", "Y a-t-il des {p} parmi les intervenants ?",
    "Quels droits ont {g} ici ?", "Combien de {p} travaillent dans cette entreprise ?",
    "Ma meilleure amie est {s}.", "La table ronde parlera de l'histoire des {p}.",
    "La nouvelle loi concerne-t-elle {g} ?", "En tant que {s1}, j'ai une question sur le programme.",
    "Le rapport compte {g} de la région.", "L'événement est-il accessible pour {g} ?",
]
POSITIVE_FR = [
    "{G} sont {pos}.", "J'adore {g}.", "{G} rendent notre société meilleure.", "Il faut accueillir {g}.",
    "{G} méritent le respect comme tout le monde.", "Je suis fier d'être {s1}.",
    "Merci à tous {g} bénévoles, vous êtes {pos} !", "{G} enrichissent notre culture.",
    "Mes voisins sont {p} et ce sont les gens les plus {pos} que je connaisse.",
]
NEGATED_FR = [
    "{G} ne sont pas {nn}.", "{G} ne sont pas {adj}.", "Je ne pense pas que {g} soient {adj}.",
    "C'est faux de dire que {g} sont {nn}.", "Personne ne devrait dire que {g} sont {nn}.",
    "Arrêtez de traiter {g} de {nn_bare}.", "Je ne dirais jamais que {g} sont {adj}.",
    "Ce n'est pas vrai que {g} sont {adj}.", "Je ne déteste pas {g}.", "Personne ne devrait haïr {g}.",
    "Il n'y a rien de mal à être {s1}.", "Je ne veux pas qu'on fasse du mal à {g}.",
    "{G} c'est pas {nn}, arrêtez.", "C'est un mythe que {g} soient {adj}.",
    "Ne traitez pas {g} de {nn_bare}.", "Je ne suis pas d'accord pour dire que {g} sont {adj}.",
    "{G} ne sont absolument pas {adj}.", "Personne autour de moi ne pense que {g} sont {nn}.",
    "Il est faux de prétendre que {g} sont {nn}.",
]
COUNTER_FR = [
    "Dire que {g} sont {nn}, c'est de la haine.", "Si tu traites {g} de \"{nn_bare}\", c'est toi le problème.",
    "\"{G} sont {nn}\" : voilà le genre de haine qu'il faut refuser.",
    "Ceux qui disent que {g} sont {adj} devraient avoir honte.",
    "Quand quelqu'un dit \"{g} sont {adj}\", il répand des mensonges.",
    "Traiter {g} de {nn_bare}, c'est ignoble ; ce sont nos voisins.",
    "J'en ai marre d'entendre que {g} sont {nn}. C'est faux.",
    "Le commentaire disant que {g} sont {adj} a été supprimé, à juste titre.",
]

# Round two (issue 12): more frames of the kinds the models still got wrong. English:
# praise of a group, negated hate and counter-speech (identity words alone pushed
# identity_attack); French: hate phrased as an opinion, a question or an implicit demand,
# threats, and slurs with "sale" (French hostility was mostly missed). Both: abuse of targets
# that are not a protected group (toxic, but not an identity attack).
POSITIVE2_EN = [
    "I have so much respect for {g}.", "Our town is stronger because of {g}.",
    "{G} are just as capable as anyone else.", "{G} have every right to be here.",
    "I admire {g} for their courage.", "Proud to stand with {g} today.", "{G} deserve equal rights.",
    "The {a} community here is {pos}.", "It was great to hear from {a} speakers tonight.",
    "Some of my {pos_sup} teachers were {g}.", "{G} are people like you and me.",
    "We are lucky to have so many {g} in this city.",
]
NEGATED2_EN = [
    "{G} are not a threat to anyone.", "I would never call {g} {nn}.", "No, {g} are not {nn}.",
    "None of the {g} I know are {adj}.", "{G} should never be called {nn}.",
    "I refuse to believe that {g} are {adj}.", "{G} don't deserve to be treated like {nn}.",
    "Nobody here thinks {g} are {adj}.", "It is not okay to say {g} are {nn}.",
    "{G} are not less human than anyone.", "I have never met {s} who was {adj}.",
]
COUNTER2_EN = [
    "Posts calling {g} {nn} should be reported.", "Hate against {g} has no place at this event.",
    "Someone wrote that {g} are {nn}. That is disgusting and untrue.",
    "If you think {g} are {adj}, you need to meet more people.",
    "Those who call {g} {nn} are spreading hate.", "Calling {g} \"{nn}\" says more about you than about them.",
    "You can't call {g} {nn} and pretend it is just an opinion.",
    "The speaker who said {g} are {nn} should apologise.",
]
NONPROTECTED_EN = [
    "Politicians are {nn}.", "All bankers are {adj}.", "I hate Mondays, they are {adj}.",
    "This committee is full of {nn}.", "Landlords are {nn}, every one of them.", "You are {adj}.",
    "The referees tonight were {adj}.", "Lawyers are {nn}.", "This app is {adj} garbage.",
    "Journalists are {adj} liars.",
]
NEUTRAL2_FR = [
    "Ma collègue est {s}, elle pose la même question.", "{G} seront-ils représentés au conseil ?",
    "Le film raconte la vie de {p} à Marseille.", "Combien de {p} ont répondu au sondage ?",
    "Mon frère a épousé {s}.", "L'association aide {g} à trouver un logement.",
    "Est-ce que la mairie a consulté {g} ?", "Je voudrais entendre l'avis des {p} sur ce projet.",
    "{G} du quartier organisent une fête samedi.", "Le livre parle de l'histoire des {p} en France.",
]
POSITIVE2_FR = [
    "J'ai beaucoup de respect pour {g}.", "Notre ville est plus forte grâce aux {p}.",
    "{G} ont les mêmes droits que tout le monde.", "{G} sont des gens comme vous et moi.",
    "Fiers d'être aux côtés des {p} aujourd'hui.", "On a de la chance d'avoir autant de {p} ici.",
    "Merci aux {p} de la ville pour leur engagement.", "{G} ont toute leur place ici.",
]
NEGATED2_FR = [
    "Non, {g} ne sont pas {nn}.", "Je n'ai jamais pensé que {g} étaient {adj}.",
    "Aucun des {p} que je connais n'est {adj1}.", "On ne peut pas dire que {g} sont {nn}.",
    "{G} ne méritent pas d'être traités de {nn_bare}.", "Je refuse de dire que {g} sont {adj}.",
]
COUNTER2_FR = [
    "Les messages qui traitent {g} de {nn_bare} doivent être signalés.",
    "La haine contre {g} n'a pas sa place ici.", "Quelqu'un a écrit que {g} sont {nn}. C'est ignoble et faux.",
    "Ceux qui traitent {g} de {nn_bare} répandent la haine.",
    "Si tu penses que {g} sont {adj}, il faut sortir un peu.",
]
HATE2_FR = [
    "Je trouve que {g} sont {adj}.", "Je crois que {g} sont {nn}.", "Pour moi, {g} sont {nn}.",
    "Selon moi, {g} sont {adj}.", "J'ai toujours pensé que {g} étaient {adj}.",
    "Il est évident que {g} sont {nn}.", "Pourquoi {g} sont-ils tous {adj} ?",
    "Pourquoi est-ce que {g} sont aussi {adj} ?", "Vous ne trouvez pas que {g} sont {adj} ?",
    "Pourquoi laisse-t-on {g} entrer dans notre pays ?", "Qui voudrait vivre à côté des {p} ?",
    "{G} ne devraient pas avoir le droit de voter.", "{G} devraient rentrer dans leur pays.",
    "{G} n'ont pas leur place dans notre société.", "{G} ne méritent aucun respect.",
    "{G} ne sont pas des êtres humains.", "Il y a beaucoup trop de {p} dans ce pays.",
    "{G} sont une menace pour notre pays.", "Je n'embaucherai jamais {s}.",
    "{G} ne servent à rien.", "Sale {s1}, retourne chez toi.", "Sale race de {p}.",
    "{G} sont la honte de ce pays.", "Il faut interdire {g} de travailler ici.",
    "On ne peut pas faire confiance aux {p}, ce sont {nn}.",
]
THREAT2_FR = [
    "Je vais {v} {g} un par un.", "{G} devraient tous être {pp}.", "Il est temps de {v} {g}.",
    "Je rêve de {v} tous {g}.", "Mort aux {p} !", "On va {v} {g}, c'est promis.",
    "Le prochain {s1} qui vient ici, je vais le {v}.",
]
NONPROTECTED_FR = [
    "Les politiciens sont {nn}.", "Tous les banquiers sont {adj}.", "Je déteste les lundis.",
    "Ce comité est plein {nn_de}.", "Les arbitres ce soir étaient {adj}.", "T'es vraiment {adj1}.",
    "Les journalistes sont {nn}.", "Cette appli est une vraie merde.",
]
THREAT_PP_FR = ["tués", "abattus", "pendus", "brûlés", "éliminés", "exterminés", "fusillés"]

# Polite questions in French, as an audience asks them (the French sets have no benign
# question set like TREC, so French questions scored higher than English ones).
QUESTION_FRAMES_FR = [
    "À quelle heure commence {t} ?", "Quand aura lieu {t} ?", "Comment {t} va-t-il être financé ?",
    "Pourquoi {t} a-t-il été reporté ?", "Est-ce que {t} sera diffusé en ligne ?", "Qui est responsable de {t} ?",
    "Combien coûte {t} ?", "Où puis-je trouver le programme de {t} ?", "Pouvez-vous nous en dire plus sur {t} ?",
    "Quels sont les objectifs de {t} ?", "Merci pour la présentation, que prévoyez-vous pour {t} ?",
    "Est-il possible de participer à {t} à distance ?", "Quel est le calendrier de {t} ?",
    "Pourquoi {t} est-il toujours en retard ?", "Qu'est-ce qui va changer avec {t} ?",
]
QUESTION_TOPICS_FR = [
    "le projet", "la réunion publique", "le nouveau budget", "la réforme des retraites", "l'atelier",
    "le chantier du tramway", "la rénovation de l'école", "le festival", "le plan vélo", "la consultation",
    "le débat", "le nouveau service", "la campagne de vaccination", "le forum des associations",
    "le prochain conseil municipal", "le rapport annuel",
]

HATEFUL = {"toxicity": 1, "identity_attack": 1, "threat": 0, "profanity": 0}
NOT_IDENTITY = {"toxicity": 1, "identity_attack": 0, "threat": 0}
THREATENING = {"toxicity": 1, "identity_attack": 1, "threat": 1, "profanity": 0}
BENIGN = {"toxicity": 0, "severe_toxicity": 0, "insult": 0, "profanity": 0, "threat": 0, "identity_attack": 0}


def _cap(s):
    return s[:1].upper() + s[1:]


def _obfuscate(word, rng):
    """One spelling variant of a hostile word: a letter dropped, a space inserted, or a
    letter doubled (the variants people use to slip past filters)."""
    if len(word) < 4 or " " in word:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + " " + word[i:]
    return word[:i] + word[i] + word[i:]


def _fill_en(t, group, rng, obfuscate):
    g, s, a = group
    nn, adj = rng.choice(NEG_NOUNS_EN), rng.choice(NEG_ADJ_EN)
    if obfuscate:
        nn, adj = _obfuscate(nn, rng), _obfuscate(adj, rng)
    pos = rng.choice(POS_ADJ_EN)
    pos_sup = "kindest" if pos in ("kind", "lovely") else "most " + pos
    return t.format(G=_cap(g), g=g, s=s, a=a, nn=nn, adj=adj, pos=pos, pos_sup=pos_sup,
                    v=rng.choice(THREAT_VP_EN))


def _fill_fr(t, group, rng, obfuscate):
    g, s, p = group
    nn, adj = rng.choice(NEG_NOUNS_FR), rng.choice(NEG_ADJ_FR)
    if obfuscate:
        adj = _obfuscate(adj, rng)
    nn_bare = nn.split(" ", 1)[1] if nn.startswith(("des ", "de la ", "une ", "un ")) else nn
    nn_bare = nn_bare.replace("la ", "") if nn.startswith("de la ") else nn_bare
    s1 = s.split(" ", 1)[1]
    p1 = s1
    adj1 = adj[:-1] if adj.endswith("s") and not adj.endswith(("eux", "ux")) else adj
    adj1 = adj1[:-1] if adj1.endswith("x") else adj1
    nn_de = "d'" + nn_bare if nn_bare[:1] in "aeiouéh" else "de " + nn_bare
    return t.format(G=_cap(g), g=g, s=s, s1=s1, p=p, p1=p1, nn=nn, nn_bare=nn_bare, adj=adj, adj1=adj1,
                    nn_de=nn_de, pp=rng.choice(THREAT_PP_FR), pos=rng.choice(POS_ADJ_FR),
                    v=rng.choice(THREAT_VP_FR))


def generate():
    """Yields (lang, text, labels) with labels as prepare_data's attr -> 0/1 dicts: every
    template once for every group of its language."""
    rng = random.Random(SEED)
    # English has far more real hateful examples than French: its hostile templates use a
    # quarter of the groups, so that the English templates mostly teach what is NOT an attack.
    plan = [
        ("en", _fill_en, GROUPS_EN[::4], HATE_EN, HATEFUL, True),
        ("en", _fill_en, GROUPS_EN[::4], THREAT_EN, THREATENING, True),
        ("en", _fill_en, GROUPS_EN, NEUTRAL_EN, BENIGN, False),
        ("en", _fill_en, GROUPS_EN, POSITIVE_EN, BENIGN, False),
        ("en", _fill_en, GROUPS_EN, NEGATED_EN, BENIGN, False),
        ("en", _fill_en, GROUPS_EN, COUNTER_EN, BENIGN, False),
        ("fr", _fill_fr, GROUPS_FR, HATE_FR, HATEFUL, True),
        ("fr", _fill_fr, GROUPS_FR, THREAT_FR, THREATENING, True),
        ("fr", _fill_fr, GROUPS_FR, NEUTRAL_FR, BENIGN, False),
        ("fr", _fill_fr, GROUPS_FR, POSITIVE_FR, BENIGN, False),
        ("fr", _fill_fr, GROUPS_FR, NEGATED_FR, BENIGN, False),
        ("fr", _fill_fr, GROUPS_FR, COUNTER_FR, BENIGN, False),
    ]
    if ROUND_TWO:
        plan += [
            ("en", _fill_en, GROUPS_EN, POSITIVE2_EN, BENIGN, False),
            ("en", _fill_en, GROUPS_EN, NEGATED2_EN, BENIGN, False),
            ("en", _fill_en, GROUPS_EN, COUNTER2_EN, BENIGN, False),
            ("en", _fill_en, GROUPS_EN[:2], NONPROTECTED_EN, NOT_IDENTITY, True),
            ("fr", _fill_fr, GROUPS_FR, NEUTRAL2_FR, BENIGN, False),
            ("fr", _fill_fr, GROUPS_FR, POSITIVE2_FR, BENIGN, False),
            ("fr", _fill_fr, GROUPS_FR, NEGATED2_FR, BENIGN, False),
            ("fr", _fill_fr, GROUPS_FR, COUNTER2_FR, BENIGN, False),
            ("fr", _fill_fr, GROUPS_FR, HATE2_FR, HATEFUL, True),
            ("fr", _fill_fr, GROUPS_FR, THREAT2_FR, THREATENING, True),
            ("fr", _fill_fr, GROUPS_FR[:2], NONPROTECTED_FR, NOT_IDENTITY, True),
        ]
    for frame in QUESTION_FRAMES_FR:
        for topic in QUESTION_TOPICS_FR:
            yield "fr", _cap(frame.format(t=topic)), dict(BENIGN)
    for lang, fill, groups, templates, labels, hostile in plan:
        for t in templates:
            for group in groups:
                # one hostile sentence in four is spelled the way people dodge filters
                obfuscate = hostile and rng.random() < 0.25
                yield lang, fill(t, group, rng, obfuscate), dict(labels)
