// Word tables for articles in languages other than English: month and weekday names, words
// for yesterday/today/tomorrow, titles, capitalised words that name nothing, organisation
// forms and place names as the language writes them. Entries are lowercase UTF-8; several
// forms of one item are separated by spaces. Used only when Article::language is neither
// English nor unknown, so the English rules never see them.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "understand/internal.h"

namespace storyline::understand::internal {
namespace {

struct RelativeSpec {
  std::string_view forms;
  int offset;
  std::string_view part;  // TIMEX3 part of the day ("TEV" for "stasera"), or empty
};

struct LanguageSpec {
  std::string_view codes;  // ISO 639-1 codes sharing the tables
  bool nouns_capitalised;
  std::string_view months[12];
  std::string_view weekdays[7];
  std::initializer_list<RelativeSpec> relative;
  std::string_view parts[4];            // morning, afternoon, evening, night
  std::string_view this_words;          // "esta" (mañana), "ce" (matin)
  std::string_view month_prepositions;  // before a bare month: "im", "en", "в"
  std::string_view joiners;             // between day, month and year: "de", "del"
  std::string_view year_words;          // after a year: "года", "roku"
  std::string_view titles;              // before a person's name
  std::string_view stop;                // capitalised at times, never a name by itself
  std::string_view connectors;          // lowercase words inside names: "von", "de"
  std::string_view org_words;           // words that make a name an organisation's
  std::string_view places;              // place names as the language writes them
};

const LanguageSpec kSpecs[] = {
    {"de",
     true,
     {"januar jänner jan", "februar feber feb", "märz mär", "april apr", "mai", "juni jun",
      "juli jul", "august aug", "september sept sep", "oktober okt", "november nov",
      "dezember dez"},
     {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag sonnabend", "sonntag"},
     {{"gestern", -1, ""},
      {"heute", 0, ""},
      {"morgen", 1, ""},
      {"vorgestern", -2, ""},
      {"übermorgen", 2, ""}},
     {"morgen früh vormittag", "nachmittag", "abend", "nacht"},
     "",
     "im seit bis ab anfang ende mitte",
     "",
     "",
     "herr herrn frau präsident präsidenten präsidentin bundespräsident bundespräsidentin "
     "kanzler kanzlers kanzlerin bundeskanzler bundeskanzlerin minister ministers ministerin "
     "ministerpräsident ministerpräsidentin bürgermeister bürgermeisterin oberbürgermeister "
     "oberbürgermeisterin dr prof papst "
     "sprecher sprecherin trainer trainerin abgeordnete abgeordneter senator senatorin",
     "der die das den dem des ein eine einen einem einer eines er sie es wir ihr ich man und "
     "oder aber doch auch auf aus bei mit nach von vor zu zum zur im am um in an als wie wenn "
     "weil dass ob so nun noch nicht kein keine dieser diese dieses diesem jeder jede alle "
     "viele mehr trotz während wegen seit bis ab unter über für gegen ohne durch laut zwar "
     "dennoch deshalb daher dann damit da hier dort heute gestern morgen sein seine ihre "
     "unser unsere was wer wo wann warum wie neue neuen neuer erste ersten zweite letzte "
     "letzten viele einige firma beim vom ins zudem außerdem allerdings jedoch inzwischen bereits",
     "von van der den de zu",
     "gmbh ag se kg ohg fc regierung bank partei ministerium universität gruppe verband verein "
     "konzern "
     "stiftung institut gericht bundestag bundesrat polizei rat kommission union",
     "deutschland vereinigte_staaten frankreich österreich schweiz italien spanien polen russland "
     "ukraine europa "
     "england großbritannien niederlande belgien china japan indien türkei griechenland "
     "schweden norwegen dänemark finnland tschechien ungarn rumänien brasilien mexiko "
     "ägypten israel iran irak syrien kanada amerika usa berlin münchen hamburg köln "
     "frankfurt stuttgart dresden leipzig wien zürich genf moskau kiew warschau rom mailand "
     "brüssel paris london peking washington bayern sachsen hessen"},
    {"fr",
     false,
     {"janvier janv", "février fevrier févr", "mars", "avril avr", "mai", "juin", "juillet juil",
      "août aout", "septembre sept", "octobre oct", "novembre nov", "décembre decembre déc"},
     {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
     {{"hier", -1, ""},
      {"aujourd'hui aujourd\xE2\x80\x99hui", 0, ""},
      {"demain", 1, ""},
      {"avant-hier", -2, ""},
      {"après-demain", 2, ""}},
     {"matin matinée", "après-midi", "soir soirée", "nuit"},
     "ce cette",
     "en depuis début fin",
     "",
     "",
     "m mme mlle monsieur madame président présidente ministre maire général docteur dr pr "
     "porte-parole premier première pape chancelier chancelière roi reine sénateur sénatrice "
     "député députée",
     "le la les l un une des du de et ou mais donc car ni il elle ils elles on nous vous je "
     "ce cette ces cet son sa ses leur leurs mon ma en dans sur pour par avec sans sous selon "
     "après avant depuis pendant lors quand si comme alors ainsi pourtant cependant toutefois "
     "enfin aussi encore déjà puis au aux à y ne pas plus tout tous toutes chaque plusieurs "
     "certains certaines là ici oui non d c qu français française françaises allemand "
     "allemands américain américains européen européens britanniques russes ukrainiens chinois "
     "italiens espagnols belges suisses",
     "de du des d la",
     "sa sas sarl sca gouvernement banque parti ministère université groupe société compagnie "
     "association "
     "fondation institut conseil commission assemblée union",
     "france allemagne autriche suisse italie espagne pologne russie ukraine europe "
     "angleterre royaume-uni états-unis etats-unis belgique chine japon inde turquie grèce "
     "suède norvège danemark égypte syrie irak iran israël brésil mexique canada amérique "
     "paris lyon marseille bruxelles londres moscou kiev varsovie rome milan genève pékin "
     "lisbonne berlin madrid washington"},
    {"es",
     false,
     {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
      "septiembre setiembre", "octubre", "noviembre", "diciembre"},
     {"lunes", "martes", "miércoles miercoles", "jueves", "viernes", "sábado sabado", "domingo"},
     {{"ayer", -1, ""}, {"hoy", 0, ""}, {"mañana", 1, ""}, {"anteayer", -2, ""}},
     {"mañana", "tarde", "", "noche"},
     "esta",
     "en desde hasta",
     "de del",
     "",
     "señor sr sra señora presidente presidenta ministro ministra alcalde alcaldesa don doña "
     "rey reina general doctor dr papa portavoz diputado diputada",
     "el la los las lo un una unos unas y o pero sin con por para en de del al a que como "
     "cuando si según tras ante desde hasta durante sobre entre este esta estos estas ese "
     "esa eso aquel su sus nuestro él ella ellos ellas nosotros yo también además no sí ya "
     "hoy ayer aunque mientras porque pues así",
     "de del la las los y",
     "sa s.a sl s.l gobierno banco partido ministerio universidad grupo sociedad compañía "
     "asociación "
     "fundación instituto consejo comisión congreso tribunal",
     "españa estados_unidos reino_unido nueva_york francia alemania italia portugal polonia rusia "
     "ucrania europa inglaterra "
     "bélgica suiza austria grecia suecia noruega turquía egipto siria irak irán israel "
     "brasil méxico canadá argentina chile colombia perú venezuela china japón india "
     "madrid barcelona valencia sevilla londres moscú kiev varsovia roma bruselas pekín "
     "parís lisboa berlín washington"},
    {"pt",
     false,
     {"janeiro", "fevereiro", "março marco", "abril", "maio", "junho", "julho", "agosto",
      "setembro", "outubro", "novembro", "dezembro"},
     {"segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
      "sábado sabado", "domingo"},
     {{"ontem", -1, ""}, {"hoje", 0, ""}, {"amanhã", 1, ""}, {"anteontem", -2, ""}},
     {"manhã", "tarde", "", "noite"},
     "esta nesta",
     "em desde até",
     "de",
     "",
     "senhor sr sra senhora presidente presidenta ministro ministra prefeito prefeita "
     "governador governadora general doutor dr papa porta-voz deputado deputada",
     "o a os as um uma e ou mas com sem por para em no na nos nas do da dos das de ao à que "
     "como quando se segundo após desde até durante sobre entre este esta esse essa isso seu "
     "sua ele ela eles elas nós eu também além não sim já hoje ontem embora enquanto porque",
     "de do da dos das e",
     "sa s.a ltda governo banco partido ministério universidade grupo sociedade companhia "
     "associação "
     "fundação instituto conselho comissão congresso tribunal",
     "portugal estados_unidos reino_unido brasil espanha frança alemanha itália polônia polónia "
     "rússia ucrânia europa "
     "inglaterra bélgica suíça áustria grécia suécia turquia egito síria israel irã irão "
     "méxico canadá argentina china japão índia lisboa brasília londres "
     "moscou moscovo kiev varsóvia roma bruxelas pequim paris madri madrid berlim washington"},
    {"it",
     false,
     {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
      "ottobre", "novembre", "dicembre"},
     {"lunedì lunedi", "martedì martedi", "mercoledì mercoledi", "giovedì giovedi",
      "venerdì venerdi", "sabato", "domenica"},
     {{"ieri", -1, ""},
      {"oggi", 0, ""},
      {"domani", 1, ""},
      {"dopodomani", 2, ""},
      {"stamattina stamani", 0, "TMO"},
      {"stasera", 0, "TEV"},
      {"stanotte", 0, "TNI"}},
     {"mattina mattino", "pomeriggio", "sera", "notte"},
     "questa",
     "a in da dal fino",
     "",
     "",
     "signor signore sig signora presidente premier ministro ministra sindaco papa generale "
     "dottor dott portavoce senatore senatrice deputato deputata",
     "il lo la i gli le l un uno una e o ma con senza per in di del della dei delle da dal "
     "dalla a al alla che come quando se secondo dopo prima durante su tra fra questo questa "
     "quello quella suo sua lui lei loro noi io anche inoltre non sì già oggi ieri mentre "
     "perché però così nel nella sul sulla",
     "di de del della da",
     "spa s.p.a srl s.r.l governo banca partito ministero università gruppo società compagnia "
     "associazione fondazione istituto consiglio commissione camera senato tribunale",
     "italia stati_uniti regno_unito francia germania spagna portogallo polonia russia ucraina "
     "europa inghilterra "
     "belgio svizzera austria grecia svezia turchia egitto siria israele iran brasile "
     "messico canada cina giappone india roma milano napoli torino firenze venezia londra "
     "mosca kiev varsavia bruxelles pechino parigi lisbona berlino madrid washington"},
    {"nl",
     false,
     {"januari jan", "februari feb", "maart mrt", "april apr", "mei", "juni", "juli",
      "augustus aug", "september sept sep", "oktober okt", "november nov", "december dec"},
     {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
     {{"gisteren", -1, ""},
      {"vandaag", 0, ""},
      {"morgen", 1, ""},
      {"eergisteren", -2, ""},
      {"overmorgen", 2, ""},
      {"vanochtend vanmorgen", 0, "TMO"},
      {"vanmiddag", 0, "TAF"},
      {"vanavond", 0, "TEV"},
      {"vannacht", 0, "TNI"},
      {"gisteravond", -1, "TEV"}},
     {"ochtend", "middag", "avond", "nacht"},
     "",
     "in sinds tot vanaf begin eind half",
     "",
     "",
     "heer mevrouw dhr mevr minister premier president burgemeester koning koningin dr prof "
     "woordvoerder",
     "de het een en of maar met zonder voor in op van aan bij uit naar over door tegen dat "
     "die dit deze als wanneer omdat hij zij ze wij we ik ook nog niet geen al er hier daar "
     "toen dan zo volgens na tijdens sinds tot",
     "van de der den ter",
     "bv b.v nv n.v regering kabinet bank partij ministerie universiteit groep vereniging "
     "stichting instituut "
     "raad commissie kamer rechtbank",
     "nederland belgië duitsland frankrijk italië spanje polen rusland oekraïne europa "
     "engeland zwitserland oostenrijk griekenland zweden turkije egypte israël iran brazilië "
     "china japan india amerika amsterdam rotterdam utrecht den_haag brussel antwerpen gent "
     "londen moskou kiev warschau rome parijs berlijn madrid washington"},
    {"pl",
     false,
     {"stycznia styczeń styczniu", "lutego luty lutym", "marca marzec marcu",
      "kwietnia kwiecień kwietniu", "maja maj maju", "czerwca czerwiec czerwcu",
      "lipca lipiec lipcu", "sierpnia sierpień sierpniu", "września wrzesień wrześniu",
      "października październik październiku", "listopada listopad listopadzie",
      "grudnia grudzień grudniu"},
     {"poniedziałek", "wtorek", "środa środę", "czwartek", "piątek", "sobota sobotę",
      "niedziela niedzielę"},
     {{"wczoraj", -1, ""},
      {"dzisiaj dziś", 0, ""},
      {"jutro", 1, ""},
      {"przedwczoraj", -2, ""},
      {"pojutrze", 2, ""}},
     {"rano", "popołudniu", "wieczorem", "nocą"},
     "",
     "w od do",
     "",
     "roku r",
     "pan pani prezydent prezydenta premier premiera minister ministra marszałek prezes dr "
     "prof rzecznik burmistrz poseł posłanka senator",
     "w we z ze na do od i a ale lub oraz że to ten ta te jak gdy jeśli po przed przez dla o "
     "u za nie tak już też jednak według podczas jego jej ich on ona oni my ja także również "
     "jest są był była firma",
     "",
     "sp spółka rząd bank partia ministerstwo uniwersytet grupa stowarzyszenie fundacja instytut "
     "rada komisja sejm senat sąd",
     "polska polski polsce polskę niemcy niemiec niemczech francja francji włochy włoch "
     "hiszpania hiszpanii rosja rosji ukraina ukrainy ukrainie europa europy europie "
     "warszawa warszawy warszawie kraków krakowa krakowie gdańsk gdańska gdańsku wrocław "
     "wrocławia wrocławiu poznań poznania poznaniu łódź łodzi berlin berlinie moskwa moskwy "
     "moskwie kijów kijowa kijowie londyn londynie paryż paryża paryżu rzym bruksela brukseli"},
    {"ru",
     false,
     {"января январь январе", "февраля февраль феврале", "марта март марте", "апреля апрель апреле",
      "мая май мае", "июня июнь июне", "июля июль июле", "августа август августе",
      "сентября сентябрь сентябре", "октября октябрь октябре", "ноября ноябрь ноябре",
      "декабря декабрь декабре"},
     {"понедельник", "вторник", "среда среду", "четверг", "пятница пятницу", "суббота субботу",
      "воскресенье"},
     {{"вчера", -1, ""},
      {"сегодня", 0, ""},
      {"завтра", 1, ""},
      {"позавчера", -2, ""},
      {"послезавтра", 2, ""}},
     {"утром", "днем днём", "вечером", "ночью"},
     "",
     "в с до",
     "",
     "года году г",
     "господин госпожа президент президента премьер премьер-министр министр министра глава "
     "губернатор мэр спикер депутат генерал патриарх",
     "в во на и а но или что как когда если по после до для о об от из за не так уже также "
     "однако его её их он она они мы я это этот эта эти тот та все весь при между через под "
     "над",
     "",
     "ооо оао пао ао зао правительство банк партия министерство университет группа фонд институт "
     "совет "
     "комиссия дума суд",
     "россия россии россию германия германии франция франции украина украины украине сша "
     "китай китая европа европы польша польши москва москвы москве киев киева киеве "
     "петербург санкт-петербург минск берлин берлине париж париже лондон лондоне вашингтон "
     "пекин"},
    {"uk",
     false,
     {"січня січень", "лютого лютий", "березня березень", "квітня квітень", "травня травень",
      "червня червень", "липня липень", "серпня серпень", "вересня вересень", "жовтня жовтень",
      "листопада листопад", "грудня грудень"},
     {"понеділок", "вівторок", "середа середу", "четвер", "п'ятниця п'ятницю", "субота суботу",
      "неділя неділю"},
     {{"вчора учора", -1, ""}, {"сьогодні", 0, ""}, {"завтра", 1, ""}},
     {"вранці", "вдень", "ввечері", "вночі"},
     "",
     "у в з до",
     "",
     "року р",
     "пан пані президент президента прем'єр прем'єр-міністр міністр міністра голова мер",
     "в у на і й та але або що як коли якщо після до для про від з за не так вже також його "
     "її їх він вона вони ми я це цей ця ці",
     "",
     "тов пат ат банк партія міністерство університет група фонд інститут рада комісія суд",
     "україна україни україні київ києва києві львів львова харків харкова одеса одеси "
     "росія росії польща польщі європа європи москва москви вашингтон"},
    {"el",
     false,
     {"ιανουαρίου ιανουάριος", "φεβρουαρίου φεβρουάριος", "μαρτίου μάρτιος", "απριλίου απρίλιος",
      "μαΐου μάιος", "ιουνίου ιούνιος", "ιουλίου ιούλιος", "αυγούστου αύγουστος",
      "σεπτεμβρίου σεπτέμβριος", "οκτωβρίου οκτώβριος", "νοεμβρίου νοέμβριος",
      "δεκεμβρίου δεκέμβριος"},
     {"δευτέρα", "τρίτη", "τετάρτη", "πέμπτη", "παρασκευή", "σάββατο", "κυριακή"},
     {{"χθες χτες", -1, ""}, {"σήμερα", 0, ""}, {"αύριο", 1, ""}},
     {"", "", "", ""},
     "",
     "",
     "",
     "",
     "κύριος κυρία πρόεδρος υπουργός πρωθυπουργός δήμαρχος",
     "ο η το οι τα του της των τον την και ή αλλά με σε για από στο στη στην στον στα που να "
     "θα δεν αυτό αυτή αυτός",
     "",
     "αε τράπεζα κόμμα υπουργείο πανεπιστήμιο",
     "ελλάδα ελλάδας αθήνα αθήνας θεσσαλονίκη κύπρος κύπρου ευρώπη ευρώπης γερμανία γαλλία "
     "τουρκία τουρκίας ρωσία ουκρανία"},
};

// Place names in scripts written without spaces or case (looked for as substrings).
constexpr std::string_view kScriptPlaces[] = {
    // Chinese
    "中国", "日本", "美国", "英国", "法国", "德国", "俄罗斯", "乌克兰", "韩国", "朝鲜", "台湾",
    "香港", "澳门", "北京", "上海", "广州", "深圳", "武汉", "东京", "首尔", "欧洲", "印度",
    "莫斯科", "巴黎", "伦敦", "柏林", "华盛顿", "纽约",
    // Japanese (kana forms; kanji shared with Chinese above)
    "アメリカ", "米国", "東京", "大阪", "京都", "韓国", "ロシア", "ウクライナ", "フランス",
    "ドイツ", "イギリス", "中国", "北京",
    // Korean
    "한국", "서울", "부산", "일본", "중국", "미국", "북한", "러시아", "우크라이나",
    // Arabic
    "مصر", "القاهرة", "السعودية", "الرياض", "سوريا", "دمشق", "العراق", "بغداد", "لبنان", "بيروت",
    "الأردن", "إيران", "فلسطين", "غزة", "إسرائيل", "الإمارات", "دبي", "قطر", "الدوحة", "تركيا",
    "روسيا", "أوكرانيا", "الولايات المتحدة",
    // Hebrew, Persian, Hindi
    "ישראל", "ירושלים", "תל אביב", "تهران", "ایران", "भारत", "दिल्ली", "मुंबई"};

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Reporting verbs and the words around them, per language (lowercase; "_" joins the words of
// one phrase). Verb lists hold the forms news writes: past tense and participle for the
// third person ("a déclaré" = auxiliary + "déclaré"), present ("sagt", "dice") and, where
// the language marks gender, both ("сказал", "сказала").
struct SpeechSpec {
  std::string_view codes;
  std::string_view verbs;
  std::string_view according;
  std::string_view after_quote;
  std::string_view pronouns;
  std::string_view roles;
  std::string_view determiners;
  std::string_view complementizers;
  std::string_view auxiliaries;
};

const SpeechSpec kSpeechSpecs[] = {
    {"fr",
     "dit déclaré déclare affirmé affirme expliqué explique ajouté ajoute estimé estime "
     "souligné souligne indiqué indique précisé précise assuré assure annoncé annonce confié "
     "confie insisté insiste martelé martèle raconté raconte répondu répond reconnu reconnaît "
     "admis admet averti avertit prévenu prévient commenté poursuivi poursuit lancé déclarait "
     "disait affirmait expliquait",
     "selon d'après d\xE2\x80\x99"
     "après",
     "", "il elle ils elles",
     "porte-parole ministre président présidente directeur directrice responsable chef patron "
     "patronne dirigeant dirigeante maire avocat avocate procureur procureure secrétaire "
     "commissaire expert experte analyste économiste entraîneur gouvernement police ministère "
     "premier",
     "le la l les un une son sa ses leur", "que qu", "a ont avait avaient aurait"},
    {"es",
     "dijo dice declaró declara afirmó afirma explicó explica añadió añade agregó agrega aseguró "
     "asegura señaló señala indicó indica subrayó subraya destacó destaca advirtió advierte "
     "manifestó manifiesta sostuvo sostiene insistió insiste comentó comenta reconoció reconoce "
     "apuntó apunta precisó anunció anuncia dicho declarado afirmado explicado añadido asegurado "
     "señalado",
     "según", "", "él ella ellos ellas",
     "portavoz ministro ministra presidente presidenta director directora responsable jefe jefa "
     "alcalde alcaldesa abogado abogada fiscal secretario secretaria experto experta analista "
     "economista entrenador gobierno policía ministerio",
     "el la los las un una su sus", "que", "ha han había habían"},
    {"it",
     "detto dice dichiarato dichiara affermato afferma spiegato spiega aggiunto aggiunge "
     "sottolineato sottolinea precisato precisa assicurato assicura annunciato annuncia "
     "commentato commenta osservato osserva ribadito ribadisce avvertito avverte riconosciuto "
     "riconosce raccontato racconta disse dichiarò affermò spiegò aggiunse",
     "secondo", "", "lui lei loro egli ella",
     "portavoce ministro ministra presidente direttore direttrice responsabile capo sindaco "
     "avvocato avvocata procuratore segretario segretaria esperto analista economista "
     "allenatore governo polizia ministero premier",
     "il lo la l i gli le un uno una suo sua", "che", "ha hanno aveva avevano"},
    {"pt",
     "disse diz afirmou afirma declarou declara explicou explica acrescentou acrescenta garantiu "
     "garante sublinhou sublinha destacou destaca indicou indica salientou salienta frisou "
     "frisa referiu refere adiantou adianta avisou avisa comentou comenta reconheceu reconhece "
     "anunciou anuncia dito afirmado declarado",
     "segundo de_acordo_com conforme", "", "ele ela eles elas",
     "porta-voz ministro ministra presidente diretor diretora responsável chefe prefeito "
     "prefeita advogado advogada procurador secretário secretária especialista analista "
     "economista treinador governo polícia ministério",
     "o a os as um uma seu sua", "que", "tem têm tinha"},
    {"de",
     "sagte sagt sagten sagen erklärte erklärt erklärten betonte betont betonten meinte meint "
     "warnte warnt kritisierte kritisiert bestätigte bestätigt berichtete berichtet ergänzte "
     "ergänzt fügte unterstrich unterstreicht versicherte versichert räumte kündigte teilte "
     "gesagt",
     "laut", "so", "er sie",
     "sprecher sprecherin minister ministerin präsident präsidentin chef chefin leiter "
     "leiterin direktor direktorin vorsitzende vorsitzender bürgermeister bürgermeisterin "
     "anwalt anwältin staatsanwalt staatsanwältin experte expertin analyst analystin ökonom "
     "ökonomin trainer regierung polizei ministerium kanzler kanzlerin",
     "der die das den dem ein eine einer sein seine ihr ihre", "dass daß",
     "hat haben hatte hatten"},
    {"nl",
     "zei zegt zeggen zeiden verklaarde verklaart verklaarden stelde stelt benadrukte benadrukt "
     "meldde meldt waarschuwde waarschuwt voegde antwoordde antwoordt gezegd verklaard",
     "volgens", "aldus", "hij zij ze",
     "woordvoerder woordvoerster minister president directeur voorzitter burgemeester "
     "advocaat officier deskundige analist econoom trainer regering politie ministerie premier",
     "de het een zijn haar", "dat", "heeft hebben had"},
    {"ru",
     "сказал сказала сказали заявил заявила заявили отметил отметила отметили добавил добавила "
     "добавили подчеркнул подчеркнула подчеркнули сообщил сообщила сообщили пояснил пояснила "
     "объяснил объяснила говорит говорил говорила заявляет отмечает признал признала "
     "предупредил предупредила рассказал рассказала ответил ответила",
     "по_словам по_мнению", "", "он она они",
     "представитель пресс-секретарь министр президент глава директор председатель мэр "
     "губернатор адвокат прокурор эксперт аналитик экономист тренер правительство полиция "
     "министерство премьер",
     "", "что", ""},
    {"uk",
     "сказав сказала сказали заявив заявила заявили зазначив зазначила додав додала наголосив "
     "наголосила повідомив повідомила пояснив пояснила розповів розповіла відповів відповіла",
     "за_словами", "", "він вона вони",
     "речник речниця міністр президент голова директор мер губернатор адвокат прокурор "
     "експерт аналітик економіст тренер уряд поліція міністерство прем'єр",
     "", "що", ""},
    {"pl",
     "powiedział powiedziała powiedzieli stwierdził stwierdziła stwierdzili oświadczył "
     "oświadczyła oświadczyli dodał dodała dodali podkreślił podkreśliła podkreślili zaznaczył "
     "zaznaczyła wyjaśnił wyjaśniła poinformował poinformowała przekazał przekazała "
     "zapowiedział zapowiedziała ocenił oceniła przyznał przyznała mówi mówił mówiła ostrzegł "
     "ostrzegła odpowiedział odpowiedziała",
     "według zdaniem", "", "on ona oni one",
     "rzecznik rzeczniczka minister prezydent premier prezes dyrektor dyrektorka "
     "przewodniczący burmistrz adwokat prokurator ekspert ekspertka analityk ekonomista trener "
     "rząd policja ministerstwo",
     "", "że iż", ""},
};

// Adds the space-separated words to `set`; "_" joins the words of one entry ("den_haag").
void fill(std::unordered_set<std::string>& set, std::string_view words) {
  for (std::string& w : split_spaces(words)) {
    std::replace(w.begin(), w.end(), '_', ' ');
    set.insert(std::move(w));
  }
}

void fill_speech(LanguageRules::Speech& sp, const SpeechSpec& spec) {
  fill(sp.verbs, spec.verbs);
  fill(sp.according, spec.according);
  fill(sp.after_quote, spec.after_quote);
  fill(sp.pronouns, spec.pronouns);
  fill(sp.roles, spec.roles);
  fill(sp.determiners, spec.determiners);
  fill(sp.complementizers, spec.complementizers);
  fill(sp.auxiliaries, spec.auxiliaries);
}

LanguageRules build(const LanguageSpec& spec) {
  LanguageRules r;
  r.nouns_capitalised = spec.nouns_capitalised;
  for (int m = 0; m < 12; ++m)
    for (std::string& w : split_spaces(spec.months[m])) {
      r.stop.insert(w);
      r.months.emplace(std::move(w), m + 1);
    }
  for (int d = 0; d < 7; ++d)
    for (std::string& w : split_spaces(spec.weekdays[d])) {
      r.stop.insert(w);
      r.weekdays.emplace(std::move(w), d);
    }
  for (const RelativeSpec& rel : spec.relative)
    for (std::string& w : split_spaces(rel.forms)) {
      r.stop.insert(w);
      r.relative.emplace(std::move(w), std::pair<int, std::string>(rel.offset, rel.part));
    }
  constexpr std::string_view kParts[] = {"TMO", "TAF", "TEV", "TNI"};
  for (int p = 0; p < 4; ++p)
    for (std::string& w : split_spaces(spec.parts[p])) r.parts.emplace(std::move(w), kParts[p]);
  fill(r.this_words, spec.this_words);
  fill(r.month_prepositions, spec.month_prepositions);
  fill(r.joiners, spec.joiners);
  fill(r.year_words, spec.year_words);
  fill(r.titles, spec.titles);
  fill(r.stop, spec.stop);
  fill(r.connectors, spec.connectors);
  fill(r.org_words, spec.org_words);
  fill(r.places, spec.places);  // "den_haag": a name of several words
  return r;
}

}  // namespace

std::string primary_language(std::string_view code) {
  std::string out(code.substr(0, code.find_first_of("-_")));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  if (out == "eng") return "en";
  return out;
}

bool uses_english_rules(std::string_view language) {
  const std::string code = primary_language(language);
  return code.empty() || code == "en" || code == "un" || code == "und" || code == "xx";
}

bool uses_decimal_comma(std::string_view language) {
  static constexpr std::string_view kCodes[] = {
      "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "uk", "el", "sv", "da", "no",
      "nb", "nn", "fi", "cs", "sk", "hu", "ro", "tr", "hr", "sl", "sr", "bs", "bg",
      "lt", "lv", "et", "ca", "gl", "eu", "is", "be", "kk", "az", "id", "vi"};
  return std::find(std::begin(kCodes), std::end(kCodes), primary_language(language)) !=
         std::end(kCodes);
}

const LanguageRules* language_rules(std::string_view language) {
  static const std::unordered_map<std::string, LanguageRules> all = [] {
    std::unordered_map<std::string, LanguageRules> m;
    for (const LanguageSpec& spec : kSpecs) {
      LanguageRules rules = build(spec);
      for (const SpeechSpec& speech : kSpeechSpecs)
        if (speech.codes == spec.codes) fill_speech(rules.speech, speech);
      for (std::string& code : split_spaces(spec.codes)) m.emplace(std::move(code), rules);
    }
    return m;
  }();
  auto it = all.find(primary_language(language));
  return it == all.end() ? nullptr : &it->second;
}

std::string lower_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_lower_utf8(s, out);
  return out;
}

void append_lower_utf8(std::string_view s, std::string& out) {
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) {
      out.push_back('?');
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    c = u_tolower(c);
    char buf[4];
    int32_t k = 0;
    UBool err = false;
    U8_APPEND(buf, k, 4, c, err);
    if (!err) out.append(buf, static_cast<std::size_t>(k));
  }
}

std::string_view script_place_at(std::string_view text, std::size_t pos) {
  std::string_view best;
  for (std::string_view p : kScriptPlaces)
    if (p.size() > best.size() && text.compare(pos, p.size(), p) == 0) best = p;
  return best;
}

}  // namespace storyline::understand::internal
