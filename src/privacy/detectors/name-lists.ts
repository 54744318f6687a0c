/**
 * Given names and surnames written for Moat from general knowledge (not taken from any data set),
 * spread over the languages Moat's users write in. Lower-cased; matched against capitalised words.
 * Words that are also common English words (May, Will, Rose, Mark…) are left out on purpose.
 */
const GIVEN = `
aaron abdul abdullah abigail abraham ada adam adrian adriana agnes ahmed aiden aisha akira alan alberto alejandro
aleksandra alessandro alex alexander alexandra alexei alfred ali alice alicia alina alison amanda amelia amir amit
ana anders andrea andreas andrei andrew andrzej angela angelika anika anita anja ann anna anne annika anthony antoine
anton antonio anya arjun arnav arthur ashley astrid aurora ava barbara beatriz benjamin bernard bianca bjorn boris
brandon brian brigitte bruno caitlin camila carl carla carlos carmen caroline catherine cecilia charles charlotte
chen chloe christian christina christine christopher claire clara claudia colin connor cristina cynthia daniel
daniela daniele dario david deborah deepak denis diana diego dimitri dmitri dominik donald dorothy edward elena
eleanor elif elisa elizabeth ella emily emma enrique eric erik erika ernesto esther ethan eva evelyn fatima federica
felipe felix fernando filip fiona florian francesca francesco francisco franz fredrik gabriel gabriela gabriele
george georgia gerhard giorgio giovanni giulia giuseppe gloria gordon greta gregory guillaume gustav hana hannah
hans harold harry hassan heather heidi heinrich helen helena henrik henry hiroshi holly hugo ian ibrahim igor ilse
ingrid irene isabel isabella ivan jacob jakub james jan jana jane janet janina jasmine jason javier jean jennifer
jens jeremy jessica joanna joao johan johanna john jonas jonathan jorge jose josef joseph joshua juan julia julian
julie julien justin kai karen karim karin karl kasper katarzyna katharina kathleen katrin kenji kevin khalid kim
klaus krzysztof kumar lars laura lauren leila lena leon leonardo liam lina linda lisa lorenzo louis lucas lucia
luca luis luisa lukas maciej magdalena maja malik manuel marco marcus margaret maria mariana marie marina mario
marta martin martina mary mateo matteo matthew matthias maximilian mehmet mei melissa mia michael michal michelle
miguel mikael mikhail milan miriam mohamed mohammed monica monika muhammad nadia nancy naomi natalia natasha nathan
nicholas nicola nicolas nikolai nils nina noah nora olga oliver olivia omar oscar pablo paolo patricia patrick paul
paula pavel pedro peter petra philip philippe pierre pietro piotr priya rachel rafael rahul raj rajesh ramon raphael
rebecca ricardo richard robert roberto rohan roman rosa ryan sabine sakura samantha samir samuel sandra sara sarah
sebastian sergei sergio simon simone sofia sophia sophie stefan stefano stephanie steven susan svetlana sven tanja
teresa thomas timothy tobias tomas tomasz ulrich valentina vanessa vera veronica victor victoria viktor vincent
vladimir walter wei wojciech xavier yasmin yuki yusuf yuri zoe zofia
`;

const SURNAMES = `
abbott adams ahmed alexander ali allen alvarez anderson andersson baker becker bennett berg bernard bianchi brown
bruno campbell carter castro chen clark collins cook costa cruz davies davis diaz dubois duarte edwards evans
fernandes fernandez ferrari fischer fisher flores garcia gomez gonzalez gray green gupta hall hansen harris hernandez
hill hoffmann hughes jackson jansen jensen johansson johnson jones kaur keller khan king klein kowalski kozlov kumar
larsen lee lewis li lopez luna martin martinez meyer miller mitchell moore morales moreau morgan muller murphy
nelson nguyen nielsen novak olsen ortiz parker patel perez petrov phillips popov ramirez reyes richter rivera
roberts robinson rodriguez rossi ruiz russo sanchez santos schmidt schneider schulz scott silva singh smith sousa
stewart taylor thomas thompson torres turner walker wang weber white williams wilson wright wu young zhang
`;

export const GIVEN_NAMES: ReadonlySet<string> = new Set(GIVEN.split(/\s+/).filter(Boolean));
export const SURNAME_SET: ReadonlySet<string> = new Set(SURNAMES.split(/\s+/).filter(Boolean));
