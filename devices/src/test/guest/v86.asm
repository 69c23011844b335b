; Test guest: virtual-8086 mode. Ring 0 enters V86 with IRETD. With IOPL 0, CLI, STI, PUSHF,
; POPF and INT n are #GP(0) to the ring-0 monitor, and the TSS I/O permission bitmap decides IN and
; OUT (port 0xE9 allowed: the V86 code prints through it; 0x61, 0x80 and 0xEA denied, so a word
; OUT to 0xE9 is denied too). With IOPL 3 the flag instructions run (POPF cannot change IOPL), INT
; 0x30 goes through a DPL-3 interrupt gate to ring 0, whose frame holds the V86 segment registers
; (zeroed in the handler), and IRETD returns to V86; INT through a DPL-0 gate is #GP(vector*8+2).
; HLT (#GP(0)) ends each phase. Faults print their vector, error code and saved IP relative to the
; instruction (+0). Prints on port 0xE9; the test compares the output with QEMU's.
; Flat multiboot image; build: nasm -f bin v86.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
KCODE           equ 0x08
KDATA           equ 0x10
TSS_SEL         equ 0x18
V86_SEG         equ 0x1000              ; the V86 code is copied to 0x10000
V86_BASE        equ V86_SEG << 4
V86_VARS        equ 0xF000              ; offset in V86_SEG of the words below
V86_SITE        equ V86_BASE + V86_VARS
V86_RESUME      equ V86_BASE + V86_VARS + 2
V86_FLAGS1      equ V86_BASE + V86_VARS + 4
V86_FLAGS2      equ V86_BASE + V86_VARS + 6
V86_STACK_SEG   equ 0x2000
IOMAP           equ 104

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"
%define V86_GUEST
%include "sysfaults.inc"

; ENTER_V86 label, eflags: IRETD to V86_SEG:label; ring 0 goes on at next when the phase ends
%macro ENTER_V86 3
        mov     [phase_esp], esp
        mov     dword [phase_next], %3
        push    dword 0                 ; GS
        push    dword 0                 ; FS
        push    dword V86_SEG           ; DS
        push    dword V86_SEG           ; ES
        push    dword V86_STACK_SEG     ; SS
        push    dword 0xFFF0            ; ESP
        push    dword %2                ; EFLAGS
        push    dword V86_SEG           ; CS
        push    dword %1 - v86_start    ; EIP
        iretd
%endmacro

entry:
        mov     esp, kstack_top
        lgdt    [gdt_pointer]
        jmp     KCODE:.flat
.flat:  mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     al, 0xFF                        ; every IRQ masked: V86 code sets IF
        out     0x21, al
        out     0xA1, al
        call    setup_exceptions
        mov     ecx, 0x30
        mov     eax, int30_handler
        mov     edx, 0xEE00                     ; interrupt gate, DPL 3
        call    set_idt_gate
        mov     ecx, 0x31
        mov     edx, 0x8E00                     ; DPL 0
        call    set_idt_gate
        lidt    [idt_pointer]

        mov     edi, gdt + TSS_SEL
        mov     eax, tss
        call    set_base
        mov     dword [tss + 4], kstack_top     ; ESP0
        mov     dword [tss + 8], KDATA          ; SS0
        mov     word [tss + 102], IOMAP
        mov     edi, tss + IOMAP                ; every port denied but 0xE9
        mov     ecx, 8192 + 1
        mov     al, 0xFF
        rep stosb
        and     byte [tss + IOMAP + 0xE9 / 8], ~(1 << (0xE9 % 8))
        mov     ax, TSS_SEL
        ltr     ax

        mov     esi, v86_start
        mov     edi, V86_BASE
        mov     ecx, v86_end - v86_start
        rep movsb

        PRINT   s_iopl0
        ENTER_V86 phase1, 0x00020002, iopl3
iopl3:  NEWLINE
        PRINT   s_iopl3
        ENTER_V86 phase2, 0x00023202, finish
finish: NEWLINE
        movzx   eax, word [V86_FLAGS1]
        PRINT   s_flags
        PRINTHEX s_pushf, eax
        movzx   eax, word [V86_FLAGS2]
        PRINTHEX s_after_popf, eax
        NEWLINE
        PRINT   s_done
        EXIT    0

; INT 0x30 from V86: prints the frame (EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS) and the data
; segment registers as the handler finds them
int30_handler:
        push    ebp
        mov     ebp, esp
        push    eax
        push    ecx
        mov     eax, ds
        mov     ecx, es
        mov     [ss:rec_ds], eax
        mov     [ss:rec_es], ecx
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        PRINT   s_int30
        mov     eax, [ebp + 4]
        sub     eax, v86_int30_next - v86_start
        PRINTHEX s_eip, eax
        PRINTHEX s_cs, [ebp + 8]
        mov     eax, [ebp + 12]
        and     eax, 0x23200                    ; VM, IOPL, IF
        PRINTHEX s_eflags, eax
        PRINTHEX s_esp, [ebp + 16]
        PRINTHEX s_ss, [ebp + 20]
        PRINTHEX s_es, [ebp + 24]
        PRINTHEX s_ds, [ebp + 28]
        PRINTHEX s_fs, [ebp + 32]
        PRINTHEX s_gs, [ebp + 36]
        NEWLINE
        PRINT   s_in_handler
        PRINTHEX s_ds, [rec_ds]
        PRINTHEX s_es, [rec_es]
        mov     eax, kstack_top
        lea     ecx, [ebp + 4]
        sub     eax, ecx
        PRINTHEX s_frame, eax
        NEWLINE
        pop     ecx
        pop     eax
        pop     ebp
        iretd

; ---------------------------------------------------------------------------------------------
; V86 code, copied to V86_SEG:0 (position independent but for the V() offsets)
%define V(x) ((x) - v86_start)

%macro V_EXPECT 1
        mov     word [V86_VARS], V(%%site)
        mov     word [V86_VARS + 2], %1
%%site:
%endmacro

%macro V_PRINT 1
        mov     si, V(%1)
        call    v_print
%endmacro

%macro V_NEWLINE 0
        mov     al, 10
        out     DEBUG_PORT, al
%endmacro

        bits 16
v86_start:
v_print:
        lodsb
        test    al, al
        jz      .done
        out     DEBUG_PORT, al
        jmp     v_print
.done:  ret

phase1:
        V_PRINT v_cli
        V_EXPECT V(.1)
        cli
.1:     V_NEWLINE
        V_PRINT v_sti
        V_EXPECT V(.2)
        sti
.2:     V_NEWLINE
        V_PRINT v_pushf
        V_EXPECT V(.3)
        pushf
.3:     V_NEWLINE
        V_PRINT v_popf
        push    word 0
        V_EXPECT V(.4)
        popf
.4:     add     sp, 2
        V_NEWLINE
        V_PRINT v_int
        V_EXPECT V(.5)
        int     0x30
.5:     V_NEWLINE
        V_PRINT v_in_denied
        V_EXPECT V(.6)
        in      al, 0x61
.6:     V_NEWLINE
        V_PRINT v_out_denied
        V_EXPECT V(.7)
        out     0x80, al
.7:     V_NEWLINE
        V_PRINT v_out_word
        mov     dx, DEBUG_PORT
        mov     ax, 0x2020
        V_EXPECT V(.8)
        out     dx, ax
.8:     V_NEWLINE
        V_PRINT v_hlt
        V_EXPECT 0xFFFF
        hlt

phase2:
        V_PRINT v_flags
        cli
        sti
        xor     ax, ax
        pushf
        pop     word [V86_VARS + 4]
        push    word 0                  ; IOPL 0, IF 0: only IF changes
        popf
        pushf
        pop     word [V86_VARS + 6]
        V_PRINT v_ok
        int     0x30
v86_int30_next:
        V_PRINT v_back
        V_PRINT v_int_dpl0
        V_EXPECT V(.9)
        int     0x31
.9:     V_NEWLINE
        V_PRINT v_hlt
        V_EXPECT 0xFFFF
        hlt

v_cli:        db "cli: ", 0
v_sti:        db "sti: ", 0
v_pushf:      db "pushf: ", 0
v_popf:       db "popf: ", 0
v_int:        db "int 0x30: ", 0
v_in_denied:  db "in from denied port 0x61: ", 0
v_out_denied: db "out to denied port 0x80: ", 0
v_out_word:   db "word out to 0xe9 (0xea denied): ", 0
v_hlt:        db "hlt: ", 0
v_flags:      db "cli, sti, pushf, popf: ", 0
v_ok:         db "ran", 10, 0
v_back:       db "back in v86 after iretd", 10, 0
v_int_dpl0:   db "int 0x31 (gate dpl 0): ", 0
v86_end:
        bits 32

; ---------------------------------------------------------------------------------------------
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 code
        dq      0x00CF92000000FFFF      ; 0x10 data
        dw      IOMAP + 8192, 0         ; 0x18 TSS with the I/O bitmap and its closing byte
        dw      0x8900, 0
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      0x32 * 8 - 1
        dd      idt

s_iopl0:      db "v86 with iopl 0", 10, 0
s_iopl3:      db "v86 with iopl 3", 10, 0
s_int30:      db "int 0x30 in ring 0: ", 0
s_in_handler: db "handler sees: ", 0
s_flags:      db "flags in v86: ", 0
s_pushf:      db "pushf=", 0
s_after_popf: db "after popf 0=", 0
s_eip:        db "ip=+", 0
s_cs:         db "cs=", 0
s_eflags:     db "vm iopl if=", 0
s_esp:        db "esp=", 0
s_ss:         db "ss=", 0
s_es:         db "es=", 0
s_ds:         db "ds=", 0
s_fs:         db "fs=", 0
s_gs:         db "gs=", 0
s_frame:      db "frame=", 0
s_done:       db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  16
idt:            resb 0x32 * 8
tss:            resb IOMAP + 8192 + 1
        alignb  4
site:           resd 1
resume:         resd 1
phase_esp:      resd 1
phase_next:     resd 1
rec_ds:         resd 1
rec_es:         resd 1
        alignb  16
                resb 8192
kstack_top:
bss_end:
