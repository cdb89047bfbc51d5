package io.bulwark.app.api;

import io.bulwark.app.cli.Main;
import io.bulwark.app.store.Store;
import io.bulwark.app.store.Stores;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by its chromedriver
 * (installed by .ci/install-tools), against `serve`'s API and pages over the store that
 * `analyze` filled from the bundled sample. Signs in with an analyst token, opens the
 * overview, follows the sample's incident, acknowledges it, and keeps screenshots in
 * target/dashboard/ as test artefacts.
 */
class DashboardIT {
    static final Path SAMPLE = Path.of("..", "samples", "iot-lan-scan.pcap");

    @TempDir
    Path tmp;

    Store store;
    Javalin app;
    WebDriver browser;
    Path downloads;

    @BeforeEach
    void serveAndBrowse() {
        for (String f : new String[] {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
            if (!Files.isExecutable(Path.of(f))) {
                throw new IllegalStateException(f + " is not installed: run .ci/install-tools");
            }
        }
        Path data = tmp.resolve("data");
        Path evidence = tmp.resolve("evidence");
        assertThat(Main.run("analyze", "-q", SAMPLE.toString(), "--out", tmp.resolve("out").toString(),
                "--data", data.toString(), "--evidence", evidence.toString())).isZero();
        store = Stores.open(null, data);
        app = Api.create(store, ApiConfig.defaults(Clock.systemUTC()).withMetrics(store::ingestTotals)
                        .withEvidence(evidence))
                .start("127.0.0.1", 0);

        System.setProperty("SE_OFFLINE", "true");   // never let Selenium Manager fetch a browser
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000");
        downloads = tmp.resolve("downloads");
        options.setExperimentalOption("prefs", java.util.Map.of(
                "download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.stop();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void dashboard_analystSignsInFollowsAnIncidentAndAcknowledgesIt() throws Exception {
        String secret = store.createToken(Store.Role.analyst, "browser-test", Instant.now()).secret();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("http://127.0.0.1:" + app.port() + "/");

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(secret);
        browser.findElement(By.id("login-button")).click();

        // The overview: counts, the chart drawn by the vendored Chart.js, the newest incidents.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.incidents a[data-incident]")));
        assertThat(browser.findElement(By.cssSelector(".stats")).getText()).contains("INCIDENTS").contains("DEVICES");
        assertThat((Boolean) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return typeof Chart !== 'undefined' && Chart.getChart('timeline') !== undefined")).isTrue();
        screenshot("overview");

        WebElement link = browser.findElement(By.cssSelector("table.incidents a[data-incident]"));
        String id = link.getAttribute("data-incident");
        link.click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("incident-title")));
        assertThat(browser.findElement(By.id("incident-title")).getText()).contains("192.168.1.195").contains("scanning");
        assertThat(browser.getPageSource()).contains("Evidence").contains(id);

        browser.findElement(By.cssSelector("button[data-to='acknowledged']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".timeline"), "acknowledged"));
        assertThat(browser.findElement(By.cssSelector("[data-state]")).getText()).isEqualTo("acknowledged");
        screenshot("incident-acknowledged");

        Store.IncidentDetail stored = store.incident(id).orElseThrow();
        assertThat(stored.incident().state()).isEqualTo(Store.State.acknowledged);
        assertThat(stored.history()).singleElement().satisfies(h -> assertThat(h.to()).isEqualTo(Store.State.acknowledged));

        // The evidence bundle, downloaded by the browser and verified as a recipient would.
        browser.findElement(By.id("evidence-bundle")).click();
        Path bundle = downloads.resolve(id + ".zip");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> Files.isRegularFile(bundle)
                && !Files.exists(downloads.resolve(id + ".zip.crdownload")));
        io.bulwark.app.evidence.Bundle.Verdict verdict = io.bulwark.app.evidence.Bundle.verify(bundle);
        assertThat(verdict.ok()).as(verdict.checks().toString()).isTrue();
        assertThat(browser.findElements(By.id("evidence-error"))).isEmpty();

        // The devices table and the device's page.
        browser.findElement(By.cssSelector("nav a[data-nav='devices']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.devices")));
        assertThat(browser.findElement(By.cssSelector("table.devices")).getText()).contains("192.168.1.195");
        screenshot("devices");

        // What serve reports of the ingest: the sample's packets, in Prometheus format.
        java.net.http.HttpResponse<String> m = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + "/metrics"))
                        .header("Authorization", "Bearer " + secret).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(m.body()).contains("bulwark_packets_total 40714").contains("bulwark_incidents{kind=\"scan\"} 1");
    }

    void screenshot(String name) throws Exception {
        Path dir = Path.of("target", "dashboard");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
