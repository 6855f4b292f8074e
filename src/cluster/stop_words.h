// Stop words per language (ISO 639-1), as data. Deliberately short: IDF already discounts
// frequent words, and tokens under three letters and numbers are dropped for every language,
// so these lists only remove the frequent function words IDF is slow to learn on a small
// collection. Keys are lowercase, before stemming.
#pragma once

#include <string_view>

namespace storyline::cluster::internal {

struct StopList {
  std::string_view language;
  std::string_view words;  // space-separated
};

inline constexpr StopList kStopLists[] = {
    {"en",
     "the and for that with was were are has have had not but this from they his her its "
     "their them who whom which what when where why how will would could should can may "
     "might must been being than then there these those also into over after before about "
     "said says say told one two all any some more most other such only own same very just "
     "our out him she you your yours ours per while during under again further once here "
     "both each few nor off too now did does doing because until against between through "
     "above below upon among since without within year years new last first week day "
     "mr mrs ms"},
    {"fr",
     "les des une est pas que qui dans pour par sur avec son ses aux ont été être cette ces "
     "mais comme plus leur leurs elle ils elles nous vous sont fait dont entre sans sous "
     "après avant selon tout tous toute toutes également aussi déjà"},
    {"de",
     "der die das und den dem des ein eine einer eines einem einen ist nicht mit von auf "
     "für sich auch als bei nach aus wie wird werden wurde wurden sind hat haben war waren "
     "sie ihr ihre noch nur oder aber über unter zum zur vor durch gegen sagte"},
    {"es",
     "los las una uno del que por con para como más pero sus fue son está han ser sobre "
     "entre también tras hasta desde cuando este esta estos estas ese esa dijo según muy "
     "sin ante"},
    {"it",
     "gli una uno del della dei delle che per con non sono come più anche alla alle dal "
     "dalla nel nella sul sulla questo questa stato stata essere hanno tra fra dopo"},
    {"pt",
     "dos das uma que por com para como mais mas seu sua seus suas foi são está não pelo "
     "pela entre também após sobre até quando este esta isso disse"},
    {"nl",
     "het een van dat die zijn voor met niet ook aan als bij door naar werd worden wordt "
     "heeft hebben maar over nog tot uit zich deze dit zei"},
    {"ru",
     "что это как его она они было был была были для или при так уже все всё также "
     "которые который которая после его ее её их от до по на из за не но же бы ли"},
};

}  // namespace storyline::cluster::internal
