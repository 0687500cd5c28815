# The dvemu server as a container image; docker-compose.yml runs it beside PostgreSQL.
# Build stage: the Maven wrapper builds the server's jar (needs network for Maven).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl server -am package -DskipTests

# Runtime stage: a JRE and the jar, run as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --user-group --home-dir /data --create-home dvemu
WORKDIR /app
COPY --from=build /src/server/target/dvemu-server.jar /app/dvemu-server.jar
USER 10001
# without DVEMU_DB_URL the embedded PostgreSQL keeps its files here (the dvemu user's home)
ENV DVEMU_DATA_DIR=/data/pgdata
EXPOSE 5555
# 'health' asks /health on the port DVEMU_PORT names (default 5555): exit 0 on 200, 1 otherwise. A JVM start costs
# about half a second, hence the 15 s interval; the first start migrates the database, hence the start period.
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-jar", "/app/dvemu-server.jar", "health"]
ENTRYPOINT ["java", "-jar", "/app/dvemu-server.jar"]
