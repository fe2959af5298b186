// EPUBCheck for a whole test run in one Java process: each line read is the path of an EPUB
// and of the JSON report to write, tab-separated; each answer is the checker's exit code.
// Starting Java and loading EPUBCheck's schemas takes most of a check, so the tests pay it
// once, not once per EPUB (conftest.epubcheck_messages).
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckServer {
    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        // Whatever the checker prints is not an answer.
        System.setOut(System.err);
        BufferedReader requests = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] paths = line.split("\t");
            int code;
            try {
                code = new EpubChecker().run(new String[] {
                    paths[0], "-q", "--profile", "default", "--json", paths[1]});
            } catch (RuntimeException e) {
                e.printStackTrace();
                code = -1;
            }
            answers.println(code);
        }
    }
}
